"""Set-up of the "Pending changes" workflow and the editing rights of professionals.

Idempotent: called from a data migration (review 0003) and from `seed_demo`
(through the directory's ``steward_seed_demo`` hook), because test runs and
`flush` empty the tables a migration filled. Works with the app registry of a
migration (``apps``) or the real one.
"""

from django.apps import apps as global_apps

from directory.roles import MODERATORS as MODERATORS_GROUP
from directory.roles import PROFESSIONALS as PROFESSIONALS_GROUP

WORKFLOW_NAME = "Pending changes"
TASK_NAME = "Pending changes review"

# Professionals edit any listing and add services; publishing is the policy's call.
PROFESSIONAL_PAGE_PERMISSIONS = ("add_page", "change_page")
PROFESSIONAL_LOCATION_PERMISSIONS = ("add_location", "change_location")
MODERATOR_LOCATION_PERMISSIONS = ("add_location", "change_location", "publish_location")


def _content_type(apps, app_label, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]


def _permission(apps, app_label, model, codename):
    Permission = apps.get_model("auth", "Permission")
    content_type = _content_type(apps, app_label, model)
    action, _, _ = codename.partition("_")
    return Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": f"Can {action} {model}"}
    )[0]


def _home_page(apps):
    HomePage = apps.get_model("steward", "HomePage")
    return HomePage.objects.order_by("path").first()


def ensure_workflow(apps=None):
    """The workflow "Pending changes" with its one task, on the home page (every
    listing lives under it) and on locations. Returns the workflow."""
    apps = apps or global_apps
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    PendingChangesTask = apps.get_model("review", "PendingChangesTask")

    task = PendingChangesTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = PendingChangesTask.objects.create(
            name=TASK_NAME,
            active=True,
            content_type=_content_type(apps, "review", "pendingchangestask"),
        )
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)

    home = _home_page(apps)
    if home is not None and not WorkflowPage.objects.filter(page_id=home.pk).exists():
        WorkflowPage.objects.create(page_id=home.pk, workflow=workflow)
    location_type = _content_type(apps, "directory", "location")
    if not WorkflowContentType.objects.filter(content_type=location_type).exists():
        WorkflowContentType.objects.create(content_type=location_type, workflow=workflow)
    return workflow


def ensure_editing_permissions(apps=None):
    """Professionals may edit every listing and location (their edits wait for
    review unless the publish policy lets them publish); moderators publish
    locations. Never grants page publishing to professionals."""
    apps = apps or global_apps
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")

    professionals, _ = Group.objects.get_or_create(name=PROFESSIONALS_GROUP)
    moderators, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    home = _home_page(apps)
    if home is not None:
        for codename in PROFESSIONAL_PAGE_PERMISSIONS:
            permission = _permission(apps, "wagtailcore", "page", codename)
            GroupPagePermission.objects.get_or_create(
                group=professionals, page_id=home.pk, permission=permission
            )
    for codename in PROFESSIONAL_LOCATION_PERMISSIONS:
        professionals.permissions.add(_permission(apps, "directory", "location", codename))
    for codename in MODERATOR_LOCATION_PERMISSIONS:
        moderators.permissions.add(_permission(apps, "directory", "location", codename))


def ensure_all(apps=None):
    ensure_workflow(apps)
    ensure_editing_permissions(apps)
