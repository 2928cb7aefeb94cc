"""The review queue in the Wagtail admin: the list, an item, and its actions.

Only reviewers (professionals with ≥ 500 points) and moderators may open it;
everyone else gets 403 on every view, GET or POST. A reviewer never sees or acts
on their own organization's listings.
"""

from dataclasses import dataclass
from functools import wraps

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Max, Min, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from wagtail.models import Page

from directory.members import (
    acting_organization,
    current_organizations,
    organization_of,
    organizations_by_path,
)
from directory.models import OrganizationPage, ServiceAtLocation, ServicePage, TaxonomyTerm
from review import policy
from review.conf import review_setting
from review.models import Report, ReviewItem
from review.moderation import actions as moderation
from review.moderation.decisions import (
    DailyCapReached,
    check_daily_cap,
    daily_cap,
    decisions_left,
)
from review.policy import is_moderator, is_reviewer
from review.queue import actions, confidential
from review.trust.actions import verify_service


def _require_reviewer(request):
    if not is_reviewer(request.user):
        raise PermissionDenied(gettext("The review queue is for reviewers and moderators."))


def forbidden_as_403(view):
    """Wagtail's admin turns PermissionDenied into a redirect to the dashboard;
    the queue answers 403, with the reason, so a refused request is plain."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            return TemplateResponse(
                request,
                "review/admin/forbidden.html",
                {"message": str(exc) or gettext("You may not do this.")},
                status=403,
            )

    return wrapped


class QueueFilterForm(forms.Form):
    kind = forms.ChoiceField(
        required=False,
        label=gettext_lazy("Kind"),
        choices=[("", gettext_lazy("All kinds")), *ReviewItem.Kind.choices],
    )
    category = forms.ModelChoiceField(
        required=False,
        queryset=TaxonomyTerm.objects.roots().order_by("name"),
        label=gettext_lazy("Category"),
        empty_label=gettext_lazy("All categories"),
        to_field_name="code",
    )
    organization = forms.TypedChoiceField(
        required=False,
        coerce=int,
        label=gettext_lazy("Organization"),
        error_messages={
            "invalid_choice": gettext_lazy("No listing of that organization is in the queue.")
        },
    )
    area = forms.CharField(
        required=False,
        max_length=64,
        strip=True,
        label=gettext_lazy("City or ZIP"),
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Chicago or 606")}),
    )

    def __init__(self, data, *, organizations):
        super().__init__(data)
        self.fields["organization"].choices = [("", gettext("All organizations"))] + [
            (org.pk, org.title) for org in organizations
        ]
        self.organizations = {org.pk: org for org in organizations}


def organizations_in_queue(items):
    """The organizations whose listings have open items: the organization filter's
    choices (two queries, however long the queue)."""
    paths = Page.objects.filter(pk__in=items.values("page_id")).values_list("path", flat=True)
    found = {o.pk: o for o in organizations_by_path(paths).values() if o is not None}
    return sorted(found.values(), key=lambda o: o.title)


def filter_items(items, data):
    """Apply the filters that are valid; return (items, form). An invalid filter
    is reported on the form and ignored."""
    form = QueueFilterForm(data, organizations=organizations_in_queue(items))
    form.is_valid()
    cleaned = {k: v for k, v in getattr(form, "cleaned_data", {}).items() if k not in form.errors}
    if cleaned.get("kind"):
        items = items.filter(kind=cleaned["kind"])
    if cleaned.get("category"):
        through = ServicePage.categories.through
        items = items.filter(
            page_id__in=through.objects.filter(
                taxonomyterm__tree_path__startswith=cleaned["category"].tree_path
            ).values("servicepage_id")
        )
    if cleaned.get("organization"):
        organization = form.organizations[cleaned["organization"]]
        items = items.filter(page__path__startswith=organization.path)
    if cleaned.get("area"):
        area = cleaned["area"]
        places = ServiceAtLocation.objects.filter(
            Q(location__city__iexact=area) | Q(location__postal_code__startswith=area)
        )
        items = items.filter(page_id__in=places.values("service_id"))
    return items, form


def visible_items(user):
    items = ReviewItem.objects.open().select_related("page")
    if is_moderator(user):
        return items
    own = Q()
    for organization in current_organizations(user):
        own |= Q(page__path__startswith=organization.path)
    return items.exclude(own) if own else items


def _organization_titles(pages):
    """{page.pk: organization title} for a page of items, in one query."""
    found = organizations_by_path(
        [page.path for page in pages], OrganizationPage.objects.values("path", "title")
    )
    return {page.pk: (found[page.path] or {}).get("title", "") for page in pages}


# What each kind of item asks of the reviewer, in words (the list's reasons).
KIND_WORDS = {
    ReviewItem.Kind.PENDING_EDIT: gettext_lazy("An edit waits for review"),
    ReviewItem.Kind.STALE: gettext_lazy("Needs checking"),
    ReviewItem.Kind.DISPUTED: gettext_lazy("Reported problem"),
    ReviewItem.Kind.CONFLICT: gettext_lazy("Conflicting edits"),
    ReviewItem.Kind.POSSIBLE_CONFIDENTIAL: gettext_lazy("Possible confidential address"),
    ReviewItem.Kind.TRANSLATION_OUTDATED: gettext_lazy("Translation out of date"),
}


def priority_words(priority):
    for floor, words in review_setting("QUEUE_PRIORITY_WORDS"):
        if priority >= floor:
            return gettext(words)  # the defaults are in the catalogue (review.conf)
    return gettext(review_setting("QUEUE_PRIORITY_WORDS")[-1][1])


@dataclass
class ListingRow:
    """One row of the queue list: a listing with every reason it is there."""

    page: object
    organization: str
    items: list  # its open items, the most urgent first

    @property
    def top(self):
        return self.items[0]

    @property
    def priority(self):
        return self.top.priority

    @property
    def priority_words(self):
        return priority_words(self.top.priority)

    @property
    def reasons(self):
        return [(item, KIND_WORDS.get(item.kind, item.get_kind_display())) for item in self.items]


def listing_rows(items, page_number):
    """(page_obj, rows): the filtered items grouped into one row per listing,
    listings ordered by their most urgent item, paginated by listing."""
    listings = (
        items.order_by()
        .values("page_id")
        .annotate(top=Max("priority"), waiting_since=Min("created_at"))
        .order_by("-top", "waiting_since", "page_id")
    )
    paginator = Paginator(listings, review_setting("QUEUE_PAGE_SIZE"))
    page_obj = paginator.get_page(page_number)
    page_ids = [row["page_id"] for row in page_obj.object_list]
    by_page = {}
    for item in items.filter(page_id__in=page_ids).by_priority():
        by_page.setdefault(item.page_id, []).append(item)
    pages = [by_page[pk][0].page for pk in page_ids if pk in by_page]
    organizations = _organization_titles(pages)
    rows = [
        ListingRow(
            page=by_page[pk][0].page, organization=organizations.get(pk, ""), items=by_page[pk]
        )
        for pk in page_ids
        if pk in by_page
    ]
    return paginator, page_obj, rows


@forbidden_as_403
@require_http_methods(["GET"])
def index(request):
    _require_reviewer(request)
    items, form = filter_items(visible_items(request.user), request.GET)
    paginator, page_obj, rows = listing_rows(items, request.GET.get("p"))
    query = request.GET.copy()
    query.pop("p", None)
    now = timezone.now()
    return TemplateResponse(
        request,
        "review/admin/queue_index.html",
        {
            "rows": rows,
            "item_count": items.count(),
            "page_obj": page_obj,
            "paginator": paginator,
            "form": form,
            "query": query.urlencode(),
            "decisions_left": decisions_left(request.user, now=now),
            "daily_cap": daily_cap(),
        },
    )


def _item_for(request, pk):
    _require_reviewer(request)
    item = get_object_or_404(ReviewItem.objects.select_related("page", "resolved_by"), pk=pk)
    if not policy.can_act_on_item(request.user, item):
        raise PermissionDenied(gettext("You may not review your own organization’s listing."))
    return item


@forbidden_as_403
@require_http_methods(["GET"])
def item_detail(request, pk):
    item = _item_for(request, pk)
    page = item.page.specific
    reports = list(
        Report.objects.filter(Q(pk__in=item.report_ids) | Q(page=page, status="open"))
        .select_related("organization")
        .order_by("-created_at")
    )
    organization = organization_of(page)
    compare_url = None
    if item.kind == ReviewItem.Kind.PENDING_EDIT and page.live:
        compare_url = reverse(
            "wagtailadmin_pages:revisions_compare",
            kwargs={"pk": page.pk, "revision_id_a": "live", "revision_id_b": "latest"},
        )
    pending = (
        item.is_open
        and item.kind == ReviewItem.Kind.PENDING_EDIT
        and moderation.has_pending_changes(page)
    )
    return TemplateResponse(
        request,
        "review/admin/queue_item.html",
        {
            "pending": pending,
            "decision_error": moderation.decision_error(page, request.user) if pending else None,
            "verifiable": item.is_open and isinstance(page, ServicePage),
            "item": item,
            "page": page,
            "organization": organization,
            "reports": reports,
            "compare_url": compare_url,
            "resolvable": item.is_open and item.kind in actions.RESOLVABLE_KINDS,
            "confidential_places": confidential.flagged_locations(item)
            if item.kind == confidential.KIND
            else [],
            "decisions_left": decisions_left(request.user, now=timezone.now()),
        },
    )


@forbidden_as_403
@require_POST
def item_action(request, pk):
    item = _item_for(request, pk)
    action = request.POST.get("action", "")
    here = reverse("review_queue:item", args=[item.pk])
    try:
        if action == "resolve":
            actions.resolve_item(
                item=item, reviewer=request.user, resolution=request.POST.get("resolution", "")
            )
            messages.success(request, gettext("Resolved. Thank you."))
            return redirect("review_queue:index")
        if action in confidential.DECISIONS:
            confidential.decide(item=item, user=request.user, decision=action)
            messages.success(request, gettext(confidential.DECISIONS[action]))
            return redirect("review_queue:index")
        if action in ("approve", "reject"):
            return _decide(request, item, action)
        if action == "verify":
            return _verify(request, item)
        if action in ("uphold", "decline"):
            report = _report_for(item, request.POST.get("report"))
            actions.resolve_report(
                report=report,
                reviewer=request.user,
                upheld=action == "uphold",
                note=request.POST.get("note", ""),
            )
            messages.success(
                request,
                gettext("Report upheld.") if action == "uphold" else gettext("Report declined."),
            )
            return redirect(here)
        messages.error(request, gettext("Choose one of the actions on this page."))
    except DailyCapReached as exc:
        messages.error(request, str(exc))
    except PermissionDenied:
        raise
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(here)


def _decide(request, item, action):
    """Approve or reject the pending edit through review.moderation.actions (which checks
    who may decide); a reviewer's decision counts toward the daily cap."""
    page = item.page.specific
    now = timezone.now()
    check_daily_cap(request.user, now=now)
    organization = acting_organization(request.user, request)
    comment = request.POST.get("comment", "")
    try:
        if action == "approve":
            decision = moderation.approve(
                page=page, user=request.user, comment=comment, organization=organization
            )
        else:
            decision = moderation.reject(
                page=page, user=request.user, reason=comment, organization=organization
            )
    except PermissionDenied as refusal:  # e.g. the reviewer edited these changes
        messages.error(request, str(refusal))
        return redirect("review_queue:item", item.pk)
    verb = "Approved" if action == "approve" else "Rejected"
    if decision.completes:
        actions.close_item_if_cleared(
            item=item, user=request.user, resolution=f"{verb} from the queue.", now=now
        )
        messages.success(
            request,
            (
                gettext("Approved: “%(title)s”.")
                if action == "approve"
                else gettext("Rejected: “%(title)s”.")
            )
            % {"title": page.title},
        )
        return redirect("review_queue:index")
    messages.success(
        request,
        gettext(
            "Approved: your decision is recorded. A reviewer from another organization "
            "(or a moderator) decides next."
        )
        if action == "approve"
        else gettext(
            "Rejected: your decision is recorded. A reviewer from another organization "
            "(or a moderator) decides next."
        ),
    )
    return redirect("review_queue:item", item.pk)


def _verify(request, item):
    page = item.page.specific
    if not isinstance(page, ServicePage):
        raise ValidationError(gettext("Only services are verified."))
    now = timezone.now()
    verify_service(
        service=page,
        user=request.user,
        organization=acting_organization(request.user, request),
        now=now,
    )
    closed = actions.close_item_if_cleared(
        item=item, user=request.user, resolution="Verified still accurate.", now=now
    )
    messages.success(
        request,
        gettext("Verified still accurate. The item left the queue.")
        if closed
        else gettext("Verified still accurate."),
    )
    return redirect(
        "review_queue:index" if closed else "review_queue:item", *([] if closed else [item.pk])
    )


def _report_for(item, report_id):
    try:
        report_id = int(report_id)
    except (TypeError, ValueError):
        raise ValidationError(gettext("Choose a report.")) from None
    report = Report.objects.filter(pk=report_id, page_id=item.page_id).first()
    if report is None:
        raise ValidationError(gettext("That report is not about this listing."))
    return report
