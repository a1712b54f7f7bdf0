"""Forms of the hazard pages: they only read and check input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from anwen.evidence.forms import PHOTO_KINDS, EvidenceField
from anwen.forms import DateField, IdChoiceField
from anwen.once.tokens import OnceField
from anwen.orgs.models import Org, Person

from .models import Category, Grade, HazardState, Kind, Theme


def _all(choices) -> list:
    return [("", _("All")), *choices]


class HazardFilter(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False, choices=_all(HazardState.choices))
    grade = forms.ChoiceField(label=_("Grade"), required=False, choices=_all(Grade.choices))
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=_all(Category.choices)
    )
    theme = forms.ChoiceField(
        label=_("Campaign theme"), required=False, choices=_all(Theme.choices)
    )
    kind = forms.ChoiceField(label=_("Hazard kind"), required=False, choices=_all(Kind.choices))
    open = forms.BooleanField(label=_("Open only"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    school = IdChoiceField(
        label=_("School"), queryset=Org.objects.none(), required=False, empty_label=_("All")
    )
    centre = IdChoiceField(
        label=_("Run by"), queryset=Org.objects.none(), required=False, empty_label=_("All")
    )

    def __init__(self, *args, schools, centres=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.fields["centre"].queryset = centres if centres is not None else Org.objects.none()

    def values(self) -> dict:
        """The filters that hold a valid value. One bad value (a stale link's school, a typed
        `?grade=xx`) drops that filter only, not all of them; `ignored()` names it."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return dict(self.cleaned_data)

    def ignored(self) -> list[str]:
        """A sentence for each filter whose value was not valid, for the page's messages."""
        if not self.is_bound:
            return []
        return [
            _("The filter “%(field)s” was ignored: %(error)s")
            % {"field": self.fields[name].label if name in self.fields else name,
               "error": " ".join(str(e) for e in errors)}
            for name, errors in self.errors.items()
        ]  # fmt: skip


class ReportForm(forms.Form):
    """The phone page: a photo from the camera, the place, one sentence."""

    once = OnceField()
    photos = EvidenceField(
        label=_("Photo"), kinds=PHOTO_KINDS, camera=True, required=False, max_files=3
    )
    place = forms.CharField(label=_("Place"), max_length=120, required=False)
    title = forms.CharField(label=_("What is wrong (one sentence)"), max_length=200)
    category = forms.ChoiceField(
        label=_("Category"), choices=Category.choices, initial=Category.OTHER
    )
    school = IdChoiceField(label=_("School"), queryset=Org.objects.none(), empty_label=None)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools


# The longest text a step keeps (measures, each part of a plan): a page of writing, well
# inside the 32,767 characters an Excel cell of the two lists holds.
TEXT_MAX = 4000


class NoteForm(forms.Form):
    once = OnceField()
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssignForm(NoteForm):
    field_order = [
        "responsible", "grade", "category", "theme", "kind", "measures", "fund_estimate", "deadline"
    ]  # fmt: skip
    responsible = IdChoiceField(label=_("Person responsible"), queryset=Person.objects.none())
    grade = forms.ChoiceField(label=_("Grade"), choices=Grade.choices)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    theme = forms.ChoiceField(
        label=_("Campaign theme"), required=False, choices=[("", "—"), *Theme.choices]
    )
    kind = forms.ChoiceField(
        label=_("Hazard kind"), required=False, choices=[("", "—"), *Kind.choices]
    )
    measures = forms.CharField(
        label=_("Measures"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    fund_estimate = forms.DecimalField(
        label=_("Fund estimate (yuan)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )
    deadline = DateField(
        label=_("Deadline (empty: by the plan)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = people


class PlanForm(NoteForm):
    field_order = ["goal", "plan_measures", "funds", "people", "time_limit", "interim"]
    goal = forms.CharField(
        label=_("Goal"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    plan_measures = forms.CharField(
        label=_("Measures and methods"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    funds = forms.CharField(
        label=_("Funds and materials"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    people = forms.CharField(
        label=_("People responsible"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
    time_limit = DateField(label=_("Time limit"), widget=forms.DateInput(attrs={"type": "date"}))
    interim = forms.CharField(
        label=_("Interim safety and emergency measures"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SubmitFixForm(NoteForm):
    field_order = ["photos"]
    photos = EvidenceField(
        label=_("Photos after the fix"), kinds=PHOTO_KINDS, camera=True, required=False
    )
