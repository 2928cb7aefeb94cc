"""The audit log report: Wagtail's log (page and model entries) for moderators and
analysts, filterable by user, organization, action and date, exportable as CSV.

Built on Wagtail's own site-history report, which already unions the log models
and paginates; this adds the organization filter, opens the whole log to the two
roles (Wagtail's report shows only content types the user has model permissions
on), and streams the CSV in chunks with spreadsheet formulas neutralised.
"""

import csv
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import IntegerField, Q, Value
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext

from wagtail.admin.views.reports.audit_logging import LogEntriesView, SiteHistoryReportFilterSet
from wagtail.log_actions import registry as log_registry

import django_filters

from directory.members import group_names
from directory.models import OrganizationPage
from directory.models.accounts import RevisionOrganization
from directory.roles import ANALYSTS as ANALYSTS_GROUP
from review.policy import is_active, is_moderator

CHUNK = 500
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def may_read_audit_log(user):
    """Moderators and analysts. Asked by the admin menu on every admin page;
    directory.members.group_names reads the groups once per request."""
    if not is_active(user):
        return False
    return ANALYSTS_GROUP in group_names(user) or is_moderator(user)


def csv_safe(value):
    """A cell a spreadsheet shows as text: a leading =, +, -, @, tab or carriage
    return would make it a formula (CSV injection), so it gets a quote first."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def _organization_q(organization):
    """Entries that carry the organization acted for in their data, or that point
    at a revision made for it (directory.RevisionOrganization)."""
    revisions = RevisionOrganization.objects.filter(organization_id=organization.pk)
    return Q(data__organization__id=organization.pk) | Q(
        revision_id__in=revisions.values("revision_id")
    )


class AuditLogFilterSet(SiteHistoryReportFilterSet):
    organization = django_filters.ModelChoiceFilter(
        label="Organization acted for",
        queryset=OrganizationPage.objects.order_by("title"),
        method="filter_organization",
    )

    def filter_organization(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(_organization_q(value))

    def get_action_choices(self):
        actions = set()
        for model in log_registry.get_log_entry_models():
            actions.update(model.objects.all().get_actions())
        return [choice for choice in log_registry.get_choices() if choice[0] in actions]

    def get_user_choices(self):
        ids = set()
        for model in log_registry.get_log_entry_models():
            ids.update(model.objects.all().get_user_ids())
        User = get_user_model()
        return User.objects.filter(pk__in=ids).order_by(User.USERNAME_FIELD)


class AuditLogView(LogEntriesView):
    page_title = "Audit log"
    filterset_class = AuditLogFilterSet
    index_url_name = "history_admin:audit"
    index_results_url_name = "history_admin:audit_results"
    list_export = [
        "timestamp",
        "action",
        "action_label",
        "object_type",
        "object_id",
        "label",
        "user",
        "organization",
        "revision_id",
    ]
    export_headings = {
        "timestamp": "Date/time (UTC)",
        "action": "Action",
        "action_label": "Action label",
        "object_type": "Type",
        "object_id": "ID",
        "label": "Name",
        "user": "User",
        "organization": "Organization",
        "revision_id": "Revision",
    }

    def dispatch(self, request, *args, **kwargs):
        if not may_read_audit_log(request.user):
            raise PermissionDenied(gettext("The audit log is for moderators and analysts."))
        return super().dispatch(request, *args, **kwargs)

    @property
    def xlsx_export_url(self):
        return None

    @property
    def header_more_buttons(self):
        # CSV only: it streams, however long the log.
        return [b for b in super().header_more_buttons if "xlsx" not in (b.url or "")]

    def get_filtered_queryset(self):
        queryset = None
        self.log_models = list(log_registry.get_log_entry_models())
        for index, model in enumerate(self.log_models):
            sub = (
                model.objects.all()
                .values("pk", "timestamp")
                .annotate(log_model_index=Value(index, output_field=IntegerField()))
            )
            sub = self.filter_queryset(sub).order_by()
            queryset = sub if queryset is None else queryset.union(sub, all=True)
        return queryset.order_by("-timestamp", "-pk")

    def render_to_response(self, context, **response_kwargs):
        if self.is_export:
            response = StreamingHttpResponse(
                self.stream_rows(self.object_list), content_type="text/csv; charset=utf-8"
            )
            stamp = timezone.now().strftime("%Y-%m-%d")
            response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
            return response
        return super().render_to_response(context, **response_kwargs)

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            # Only CSV is offered; anything else is the listing, not an error page.
            request.GET = request.GET.copy()
            request.GET.pop("export")
            self.is_export = False
        if self.is_export:
            self.object_list = self.get_filtered_queryset()
            return self.render_to_response({})
        return super().get(request, *args, **kwargs)

    def stream_rows(self, queryset):
        writer = csv.writer(_Echo())
        yield writer.writerow([self.export_headings[f] for f in self.list_export])
        chunk = []
        for row in queryset.iterator(chunk_size=CHUNK):
            chunk.append(row)
            if len(chunk) == CHUNK:
                yield from self._chunk_rows(writer, chunk)
                chunk = []
        if chunk:
            yield from self._chunk_rows(writer, chunk)

    def _chunk_rows(self, writer, rows):
        by_model = defaultdict(list)
        for row in rows:
            by_model[row["log_model_index"]].append(row["pk"])
        entries = {}
        for index, pks in by_model.items():
            model = self.log_models[index]
            for entry in model.objects.filter(pk__in=pks).select_related("user", "content_type"):
                entries[(index, entry.pk)] = entry
        for row in rows:
            entry = entries.get((row["log_model_index"], row["pk"]))
            if entry is not None:
                yield writer.writerow([csv_safe(v) for v in _export_values(entry)])


def _export_values(entry):
    organization = (entry.data or {}).get("organization")
    title = organization.get("title", "") if isinstance(organization, dict) else ""
    try:
        label = log_registry.get_action_label(entry.action)
    except KeyError:
        label = entry.action
    content_type = entry.content_type
    return [
        entry.timestamp.isoformat(),
        entry.action,
        label,
        content_type.model if content_type else "",
        entry.object_id() if callable(entry.object_id) else entry.object_id,
        entry.label,
        entry.user_display_name if entry.user_id else "system",
        title,
        entry.revision_id or "",
    ]


class _Echo:
    def write(self, value):
        return value


class OwnActionsFilterSet(SiteHistoryReportFilterSet):
    """Wagtail's site-history filters, offering a professional only themself."""

    def get_action_choices(self):
        choices = super().get_action_choices()
        if may_read_audit_log(self.request.user):
            return choices
        own = set()
        for model in log_registry.get_log_entry_models():
            own.update(model.objects.filter(user_id=self.request.user.pk).get_actions())
        return [choice for choice in choices if choice[0] in own]

    def get_users_queryset(self):
        users = super().get_users_queryset()
        if may_read_audit_log(self.request.user):
            return users
        return users.filter(pk=self.request.user.pk)

    def get_user_choices(self):
        users = super().get_user_choices()
        if may_read_audit_log(self.request.user):
            return users
        return users.filter(pk=self.request.user.pk)


class SiteHistoryView(LogEntriesView):
    """Wagtail's "Site history" report (and its CSV / XLSX export), mounted in its
    place (steward/urls.py): moderators and analysts read the whole log, anyone
    else only their own actions; other people's names and edits stay private."""

    filterset_class = OwnActionsFilterSet

    def get_filtered_queryset(self):
        user = self.request.user
        everything = may_read_audit_log(user)
        queryset = None
        self.log_models = list(log_registry.get_log_entry_models())
        for index, model in enumerate(self.log_models):
            base = model.objects.all() if everything else model.objects.filter(user_id=user.pk)
            sub = base.values("pk", "timestamp").annotate(
                log_model_index=Value(index, output_field=IntegerField())
            )
            sub = self.filter_queryset(sub).order_by()
            queryset = sub if queryset is None else queryset.union(sub, all=True)
        return queryset.order_by("-timestamp")
