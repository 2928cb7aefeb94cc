"""Review's Wagtail hooks: registrations only. What each hook does lives in its
wing: review.trust, review.moderation and review.queue (their hooks, urls, parts
and guards modules); the periodic jobs are review.jobs. Order matters where two
hooks share a name (before_edit_page: the notice, pending changes, then the guards)."""

from wagtail import hooks

from directory.publishing import AFTER_PUBLISH_HOOK
from review import jobs
from review.moderation import guards
from review.moderation import hooks as moderation_hooks
from review.moderation import urls as moderation_urls
from review.queue import hooks as queue_hooks
from review.queue import urls as queue_urls
from review.trust import badges, parts
from review.trust import hooks as trust_hooks
from review.trust import urls as trust_urls
from review.trust.actions import record_published_change

hooks.register("register_log_actions", trust_hooks.register_review_log_actions)
hooks.register("steward_periodic_jobs", lambda: jobs.JOBS)
hooks.register(AFTER_PUBLISH_HOOK, record_published_change)
hooks.register("steward_listing_parts", parts.listing_part)
hooks.register("steward_card_parts", parts.card_parts)
hooks.register("register_admin_urls", lambda: trust_urls.admin_urlpatterns)
hooks.register("register_admin_urls", lambda: moderation_urls.admin_urlpatterns)
hooks.register("register_admin_menu_item", trust_hooks.due_menu_item)
hooks.register("register_admin_menu_item", trust_hooks.reputation_menu_item)
hooks.register("construct_homepage_panels", trust_hooks.due_panel)
hooks.register("register_page_header_buttons", trust_hooks.verify_header_button)
hooks.register("register_page_listing_more_buttons", trust_hooks.verify_listing_button)
hooks.register("steward_publish_policy", moderation_hooks.publish_policy)
hooks.register("steward_seed_demo", moderation_hooks.set_up_pending_changes)
hooks.register("steward_seed_demo", trust_hooks.verify_demo_listings)
hooks.register("before_edit_page", moderation_hooks.review_notice_before_editing)
hooks.register("construct_page_action_menu", moderation_hooks.the_main_button_takes_the_change_live)
hooks.register("before_edit_page", moderation_hooks.pending_changes_before_editing)
hooks.register("before_publish_page", moderation_hooks.publishing_is_a_review)
hooks.register("register_log_actions", queue_hooks.register_report_actions)
hooks.register("steward_listing_parts", queue_hooks.report_problem_link)
hooks.register("register_admin_urls", lambda: queue_urls.admin_urlpatterns)
hooks.register("register_admin_menu_item", queue_hooks.review_queue_menu_item)
hooks.register("register_log_actions", moderation_hooks.register_guard_log_actions)
hooks.register("steward_listing_lock", moderation_hooks.listing_lock)
hooks.register("register_admin_menu_item", moderation_hooks.register_locks_menu_item)
hooks.register("register_page_header_buttons", moderation_hooks.page_header_guard_buttons)
hooks.register("register_page_listing_more_buttons", moderation_hooks.page_listing_guard_buttons)
hooks.register("before_edit_page", guards.before_edit_page)
hooks.register("before_create_page", guards.before_create_page)
hooks.register("before_edit_snippet", guards.before_edit_snippet)
hooks.register("before_create_snippet", guards.before_create_snippet)
hooks.register("before_delete_snippet", guards.before_delete_snippet)
hooks.register("before_move_page", guards.before_move_page)
hooks.register("before_bulk_action", guards.before_bulk_action)
# Before directory's "Delete becomes Remove": a locked listing is not removed either.
hooks.register("before_delete_page", guards.before_delete_page, order=-1)
# The HSDS export and API read verification dates from the freshness store.
hooks.register("steward_hsds_dates", badges.hsds_dates)
