import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalManyToManyField
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.models import Page
from wagtail.search import index

from directory.fields import TextField
from directory.querysets import ServiceManager
from directory.routing import NoRestrictionQueryMixin
from directory.widgets import CategoryTreeWidget


def listing_lock(page):
    """The lock another app puts on a listing (review: "only moderators may edit"),
    asked through the hook point `steward_listing_lock` fn(page) -> BaseLock | None."""
    for fn in hooks.get_hooks("steward_listing_lock"):
        lock = fn(page)
        if lock is not None:
            return lock
    return None


class NewIdentityOnCopy:
    """Wagtail's "Copy page" makes a new listing: it gets its own UUID, and so do
    its child objects (phones, hours, service-at-location links); the import's
    source ids are not copied either. Without this a copy clashes on the unique
    uuid (a 500) or claims to be the listing it was copied from."""

    exclude_fields_in_copy = ["uuid"]

    def copy_all_child_relations(self, target, exclude=None, commit=False, append=False):
        copied = super().copy_all_child_relations(
            target, exclude=exclude, commit=commit, append=append
        )
        for child in copied.values():
            for row in child if isinstance(child, list) else [child]:
                if hasattr(row, "uuid"):
                    row.uuid = uuid.uuid4()
                if hasattr(row, "source_id"):
                    row.source_id = ""
        return copied

    def renew_copied_revision_uuids(self):
        """Right after a copy: the revisions Wagtail copied still name the
        original's child objects' uuids. Give each child in them the copy's own
        uuid (matched by pk, which Wagtail remapped to the copy's rows), or one
        fresh uuid per row since removed, so publishing any of them later never
        brings the original's identities back."""
        from modelcluster.models import get_all_child_relations
        from wagtail.models import Revision

        live = {}
        for relation in get_all_child_relations(self):
            name = relation.get_accessor_name()
            if hasattr(relation.related_model, "uuid"):
                live[name] = [(row.pk, str(row.uuid)) for row in getattr(self, name).all()]
        if not live:
            return
        fresh = {}
        for revision in Revision.page_revisions.filter(object_id=str(self.pk)):
            content = revision.content
            for name, rows in live.items():
                by_pk = dict(rows)
                children = content.get(name) or []
                for n, child in enumerate(children):
                    if "uuid" not in child:
                        continue
                    renewed = by_pk.get(child.get("pk"))
                    if renewed is None and child.get("pk") is None and len(children) == len(rows):
                        renewed = rows[n][1]  # an unsaved child: the live row in its place
                    if renewed is None:
                        renewed = fresh.setdefault(child["uuid"], str(uuid.uuid4()))
                    child["uuid"] = renewed
            Revision.objects.filter(pk=revision.pk).update(content=content)


class OrganizationPage(NoRestrictionQueryMixin, NewIdentityOnCopy, Page):
    """An organization that provides services. Its services are its child pages.

    Memberships (who belongs, with which role) are their own model, never page
    fields: reverting the page must never restore revoked access.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    alternate_name = models.CharField(max_length=255, blank=True, verbose_name=_("alternate name"))
    description = TextField(blank=True, verbose_name=_("description"))
    website = models.URLField(max_length=500, blank=True, verbose_name=_("website"))
    email = models.EmailField(blank=True, verbose_name=_("email"))
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("logo"),
    )
    legal_status = models.CharField(max_length=255, blank=True, verbose_name=_("legal status"))
    year_incorporated = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("year incorporated")
    )
    needs_details = models.BooleanField(
        default=False,
        help_text=(
            _(
                "A placeholder made by an import for services whose organization was not "
                "in the file. Fill in the details and untick."
            )
        ),
        verbose_name=_("needs details"),
    )

    parent_page_types = ["steward.HomePage"]
    subpage_types = ["directory.ServicePage"]

    content_panels = [
        *Page.content_panels,
        FieldPanel("alternate_name"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("website"), FieldPanel("email")]),
        FieldPanel("logo"),
        FieldRowPanel([FieldPanel("legal_status"), FieldPanel("year_incorporated")]),
        FieldPanel("needs_details"),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("alternate_name"),
        index.SearchField("description"),
        index.FilterField("needs_details"),
    ]

    class Meta:
        verbose_name = _("organization")
        # Rights outside the page editor, held per organization with django-guardian
        # (directory.accounts.permissions); moderators hold them for every organization.
        permissions = [
            ("manage_members", "Manage the organization's members"),
            ("approve_membership_requests", "Approve requests to join the organization"),
            ("register_email_domains", "Register the organization's email domains"),
            ("claim_organization", "Ask to claim an organization that has no admin"),
        ]

    def get_lock(self):
        return listing_lock(self) or super().get_lock()

    def permissions_for_user(self, user):
        from directory.permissions import ListingPermissionTester

        return ListingPermissionTester(user, self)

    def get_context(self, request, *args, **kwargs):
        from directory.selectors import organization_context

        context = super().get_context(request, *args, **kwargs)
        context.update(organization_context(self))
        return context


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    DEFUNCT = "defunct", _("Defunct (closed for good)")
    TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")


class ServicePageForm(WagtailAdminPageForm):
    """Checks that span fields and child objects, with messages on the right field."""

    translations_checked = forms.BooleanField(
        required=False,
        label=_("The Spanish text matches the English as it is now"),
        help_text=_(
            "Tick this after checking the Spanish against a changed English text: "
            "its translations are then no longer marked out of date."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from directory.translations import describe_for_translator

        for name, text in describe_for_translator(self.instance).items():
            if name in self.fields:
                self.fields[name].help_text = text

    def clean(self):
        cleaned = super().clean()
        # Read by ServicePage.save_revision (directory.translations.record_sources).
        self.instance.translations_confirmed = bool(cleaned.get("translations_checked"))
        low, high = cleaned.get("minimum_age"), cleaned.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error("maximum_age", _("The maximum age must not be below the minimum age."))

        # The child formsets are validated after the page form, so validate them here
        # first (the result is cached) to see their cleaned values.
        for formset in self.formsets.values():
            formset.is_valid()
        parent = self.parent_page or (self.instance.get_parent() if self.instance.pk else None)
        organization_id = parent.pk if parent else None
        linked = set()
        sal_formset = self.formsets.get("service_at_locations")
        if sal_formset is not None:
            for form in sal_formset.forms:
                if not getattr(form, "cleaned_data", None):
                    continue
                if form.cleaned_data.get("DELETE"):
                    continue
                location = form.cleaned_data.get("location")
                if location is None:
                    continue
                if organization_id and location.organization_id != organization_id:
                    form.add_error(
                        "location",
                        _(
                            "Choose one of this organization’s locations, or add the place "
                            "under Locations first."
                        ),
                    )
                linked.add(location.pk)
        for name in ("phones", "hours"):
            formset = self.formsets.get(name)
            if formset is None:
                continue
            for form in formset.forms:
                data = getattr(form, "cleaned_data", None) or {}
                location = data.get("location")
                if location and not data.get("DELETE") and location.pk not in linked:
                    form.add_error(
                        "location", _("Choose one of the locations this service is given at.")
                    )
        return cleaned


class _StoredFields:
    """A revision's stored field values as attributes (plain fields only)."""

    def __init__(self, content):
        self._content = content

    def __getattr__(self, name):
        return self._content.get(name, "")


class ServicePage(NoRestrictionQueryMixin, NewIdentityOnCopy, Page):
    """A service: what a person can get, from whom, where and when (HSDS service).

    Its locations, phones and hours are child objects saved inside the page's
    revisions, so one revision is the whole listing as it stood.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    alternate_name = models.CharField(max_length=255, blank=True, verbose_name=_("alternate name"))
    description = TextField(blank=True, verbose_name=_("description"))
    status = models.CharField(
        max_length=32,
        choices=ServiceStatus.choices,
        default=ServiceStatus.ACTIVE,
        verbose_name=_("status"),
    )
    alert = TextField(
        blank=True,
        help_text=_("A short notice shown at the top, e.g. “Closed for repairs”."),
        verbose_name=_("alert"),
    )
    alert_expires = models.DateField(
        _("alert shown until"),
        null=True,
        blank=True,
        help_text=_("The last day the notice is shown; blank to show it until removed."),
    )
    caution = models.CharField(
        max_length=255,
        blank=True,
        help_text=_("A caution for people referring, e.g. “Active, but do not refer”."),
        verbose_name=_("caution"),
    )
    # HSDS calls this `url`; `website` here, because Page.url is the page's own address.
    website = models.URLField(max_length=500, blank=True, verbose_name=_("website"))
    email = models.EmailField(blank=True, verbose_name=_("email"))
    eligibility_description = TextField(_("who can get this"), blank=True)
    minimum_age = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("minimum age")
    )
    maximum_age = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("maximum age")
    )
    application_process = TextField(_("how to apply"), blank=True)
    required_documents = TextField(
        blank=True, help_text=_("One document per line."), verbose_name=_("required documents")
    )
    fees_description = TextField(_("fees"), blank=True)
    wait_time = models.CharField(max_length=255, blank=True, verbose_name=_("wait time"))
    interpretation_services = TextField(blank=True, verbose_name=_("interpretation services"))
    accessibility = TextField(blank=True, verbose_name=_("accessibility"))
    service_area = TextField(
        blank=True,
        help_text=_("Who is served where, e.g. “Residents of Cook County”."),
        verbose_name=_("service area"),
    )
    languages = ParentalManyToManyField(
        "directory.Language", blank=True, related_name="services", verbose_name=_("languages")
    )
    categories = ParentalManyToManyField(
        "directory.TaxonomyTerm", blank=True, related_name="services", verbose_name=_("categories")
    )

    # The listing in Spanish (directory.translations): the editor's "Spanish" tab.
    title_es = models.CharField(_("name (Spanish)"), max_length=255, blank=True)
    description_es = TextField(_("description (Spanish)"), blank=True)
    eligibility_description_es = TextField(_("who can get this (Spanish)"), blank=True)
    application_process_es = TextField(_("how to apply (Spanish)"), blank=True)
    fees_description_es = TextField(_("fees (Spanish)"), blank=True)
    required_documents_es = TextField(
        _("required documents (Spanish)"), blank=True, help_text=_("One document per line.")
    )
    # {language: {field: hash of the English it translates}}: set on each revision.
    translation_sources = models.JSONField(default=dict, blank=True, editable=False)

    objects = ServiceManager()

    parent_page_types = ["directory.OrganizationPage"]
    subpage_types: list[str] = []
    base_form_class = ServicePageForm

    content_panels = [
        *Page.content_panels,
        FieldPanel("alternate_name"),
        FieldPanel("status"),
        FieldRowPanel([FieldPanel("alert"), FieldPanel("alert_expires")]),
        FieldPanel("caution"),
        FieldPanel("description"),
        FieldPanel("categories", widget=CategoryTreeWidget),
        MultiFieldPanel(
            [
                FieldPanel("eligibility_description"),
                FieldRowPanel([FieldPanel("minimum_age"), FieldPanel("maximum_age")]),
                FieldPanel("service_area"),
            ],
            heading=_("Eligibility"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("application_process"),
                FieldPanel("required_documents"),
                FieldPanel("fees_description"),
                FieldPanel("wait_time"),
            ],
            heading=_("Getting the service"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("languages"),
                FieldPanel("interpretation_services"),
                FieldPanel("accessibility"),
            ],
            heading=_("Languages and access"),
        ),
        FieldRowPanel([FieldPanel("website"), FieldPanel("email")]),
        InlinePanel("additional_urls", heading=_("Other web addresses"), label=_("Web address")),
    ]
    where_panels = [
        InlinePanel("service_at_locations", heading=_("Locations"), label=_("Location")),
        InlinePanel("phones", heading=_("Phones"), label=_("Phone")),
        InlinePanel("hours", heading=_("Hours"), label=_("Hours")),
    ]
    spanish_panels = [
        HelpPanel(
            content=_(
                "<p>What Spanish readers see. Where a field is empty they see the English "
                "with the note “Aún no traducido”. When the English of a field changes, its "
                "Spanish is marked out of date until it is edited, or confirmed below.</p>"
            )
        ),
        FieldPanel("title_es"),
        FieldPanel("description_es"),
        FieldPanel("eligibility_description_es"),
        FieldPanel("application_process_es"),
        FieldPanel("required_documents_es"),
        FieldPanel("fees_description_es"),
        FieldPanel("translations_checked"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Service")),
            ObjectList(where_panels, heading=_("Where and when")),
            ObjectList(spanish_panels, heading=_("Spanish")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("alternate_name", boost=2),
        index.SearchField("description"),
        index.SearchField("eligibility_description"),
        index.SearchField("organization_name", boost=1.5),
        index.SearchField("category_names", boost=1.5),
        index.FilterField("status"),
        # The Spanish text of the listing (directory.translations).
        index.SearchField("title_es", boost=2),
        index.SearchField("description_es"),
        index.SearchField("eligibility_description_es"),
    ]

    class Meta:
        verbose_name = _("service")

    def permissions_for_user(self, user):
        from directory.permissions import ListingPermissionTester

        return ListingPermissionTester(user, self)

    def get_lock(self):
        return listing_lock(self) or super().get_lock()

    def save_revision(self, *args, **kwargs):
        """Every revision records which English its translations translate, so an
        English change marks them out of date (directory.translations)."""
        from directory.translations import record_sources

        revision = self.get_latest_revision() if self.pk else None
        record_sources(
            self,
            # Its text fields only, read from the stored content: rebuilding the
            # whole page (revision.as_object(), every child row) cost ~20 queries.
            _StoredFields(revision.content) if revision else None,
            confirmed=getattr(self, "translations_confirmed", False),
        )
        self.translations_confirmed = False
        return super().save_revision(*args, **kwargs)

    def clean(self):
        super().clean()
        if (
            self.minimum_age is not None
            and self.maximum_age is not None
            and self.minimum_age > self.maximum_age
        ):
            raise ValidationError(
                {"maximum_age": _("The maximum age must not be below the minimum age.")}
            )

    def organization_name(self):
        parent = self.get_parent()
        return parent.title if parent else ""

    def category_names(self):
        return " ".join(term.name for term in self.categories.all())

    @property
    def is_closed(self):
        return self.status in (ServiceStatus.DEFUNCT, ServiceStatus.INACTIVE)

    def current_alert(self, today=None):
        """The notice, unless its last day has passed."""
        if not self.alert:
            return ""
        today = today or timezone.localdate()
        if self.alert_expires and self.alert_expires < today:
            return ""
        return self.alert

    def get_context(self, request, *args, **kwargs):
        from directory.selectors import service_context

        context = super().get_context(request, *args, **kwargs)
        context.update(service_context(self, request=request))
        return context
