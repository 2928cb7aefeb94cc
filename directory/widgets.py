"""The category picker of the page editor: a searchable tree of checkboxes.

A multi-select of some 300 terms loses every choice to one click without Ctrl;
checkboxes keep each choice on its own. Terms are nested under their parent; a
filter box (a few lines of static/js/category-tree.js) hides terms that do not
match. Without JavaScript the filter box stays hidden and the checkboxes work.
"""

from django import forms
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe


class CategoryTreeWidget(forms.CheckboxSelectMultiple):
    template_name = "directory/widgets/category_tree.html"

    class Media:
        js = ["js/category-tree.js"]

    def _render(self, template_name, context, renderer=None):
        # The project's templates folder, which Django's default form renderer skips.
        return mark_safe(render_to_string(template_name, context))  # noqa: S308

    def _terms(self):
        queryset = getattr(self.choices, "queryset", None)
        if queryset is None:
            from directory.models import TaxonomyTerm  # the models import this widget

            queryset = TaxonomyTerm.objects.all()
        return queryset.only("pk", "name", "name_es", "parent_id", "tree_path").order_by(
            "tree_path"
        )

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = {str(v) for v in (value or [])}
        base_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        terms = list(self._terms())
        present = {term.pk for term in terms}
        children = {}
        for term in terms:
            parent = term.parent_id if term.parent_id in present else None
            children.setdefault(parent, []).append(term)

        # A flat list of events (open a group, one term, close a group) so the
        # template nests the tree without recursion.
        events = []

        def walk(parent):
            for term in children.get(parent, []):
                events.append(
                    {
                        "kind": "term",
                        "id": f"{base_id}_{term.pk}",
                        "value": term.pk,
                        # In the editor's language (Spanish for a professional
                        # who chose it in Wagtail), as the public pages do.
                        "label": term.display_name,
                        "checked": str(term.pk) in chosen,
                        "has_children": term.pk in children,
                    }
                )
                if term.pk in children:
                    events.append({"kind": "open"})
                    walk(term.pk)
                    events.append({"kind": "close"})

        walk(None)
        context["widget"].update(
            {"events": events, "base_id": base_id, "chosen_count": len(chosen)}
        )
        return context
