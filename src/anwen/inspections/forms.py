"""Forms of the inspections app: they validate input, nothing more."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anwen.evidence.forms import PHOTO_KINDS, EvidenceField
from anwen.forms import IdChoiceField, IdMultipleChoiceField
from anwen.inspections.models import (
    AccountabilityKind,
    AreaKind,
    ChecklistTemplate,
    EvidenceRule,
    Level,
    Purpose,
    Result,
    Status,
)
from anwen.inspections.selectors import inspector_choices
from anwen.inspections.services import earliest_inspection_day, too_early_message
from anwen.once.tokens import OnceField
from anwen.orgs.models import Org, Person

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AreaForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    kind = forms.ChoiceField(label=_("Kind of area"), choices=AreaKind.choices)
    owner: IdChoiceField[Person] = IdChoiceField(
        label=_("Person in charge"),
        queryset=None,
        help_text=_("The member of staff who checks it every day."),
    )
    checklist: IdChoiceField[ChecklistTemplate] = IdChoiceField(
        label=_("Checklist"),
        queryset=None,
        required=False,
        help_text=_("Empty: the bureau's standard list for this kind of area."),
    )

    def __init__(self, *args, staff, checklists, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff
        self.fields["checklist"].queryset = checklists


# A group of the picker with more people than this starts folded.
PICKER_OPEN_UP_TO = 10


class InspectorPicker(forms.CheckboxSelectMultiple):
    """Checkboxes grouped by post, each group a fold: big groups start closed unless someone
    in them is ticked, so the inspectors who matter are on the first screen of a phone."""

    template_name = "inspections/widgets/picker.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["folds"] = [
            (
                group,
                options,
                len(options) <= PICKER_OPEN_UP_TO or any(o["selected"] for o in options),
            )
            for group, options, _index in context["widget"]["optgroups"]
        ]
        return context


class NewInspectionForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Inspection"))
    school: IdChoiceField[Org] = IdChoiceField(label=_("School"), queryset=None)
    inspected_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    participants: IdMultipleChoiceField[Person] = IdMultipleChoiceField(
        label=_("Inspectors"), queryset=None, required=False, widget=InspectorPicker
    )
    invited: IdMultipleChoiceField[Org] = IdMultipleChoiceField(
        label=_("Invited agencies"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Joint inspections only: their inspectors see this inspection and add findings."
        ),
    )

    def __init__(self, *args, purposes, schools, people, agencies, me=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = [(p, Purpose(p).label) for p in purposes]
        self.fields["school"].queryset = schools
        only = list(schools[:2])
        if len(only) == 1:
            # The school's own officer has one school: nothing to choose, nothing to forget.
            self.fields["school"].initial = only[0].pk
            self.fields["school"].widget = forms.HiddenInput()
        if me is not None and people.filter(pk=me.pk).exists():
            self.fields["participants"].initial = [me.pk]
        self.fields["participants"].queryset = people
        self.fields["participants"].choices = inspector_choices(people)
        self.fields["invited"].queryset = agencies
        if not agencies.exists():
            del self.fields["invited"]
        self.fields["inspected_on"].initial = timezone.localdate()

    def clean_inspected_on(self):
        day = self.cleaned_data["inspected_on"]
        today = timezone.localdate()
        if day > today:
            raise forms.ValidationError(_("An inspection cannot be dated in the future."))
        if day < earliest_inspection_day(today):
            raise forms.ValidationError(too_early_message())
        return day


class DetailsForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    participants: IdMultipleChoiceField[Person] = IdMultipleChoiceField(
        label=_("Inspectors"), queryset=None, required=False, widget=InspectorPicker
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = people
        self.fields["participants"].choices = inspector_choices(people)


class FindingForm(forms.Form):
    once = OnceField()
    description = forms.CharField(
        label=_("Problem found"), widget=forms.Textarea(attrs={"rows": 3})
    )
    category = forms.CharField(label=_("Category"), max_length=60, required=False)
    location = forms.CharField(label=_("Place"), max_length=120, required=False)
    photos = EvidenceField(label=_("Photos"), kinds=PHOTO_KINDS, camera=True, required=False)


class AccountabilityForm(forms.Form):
    once = OnceField()
    kind = forms.ChoiceField(label=_("Kind"), choices=AccountabilityKind.choices)
    issued_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    text = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issued_on"].initial = timezone.localdate()


class ItemForm(forms.Form):
    once = OnceField()
    category = forms.CharField(label=_("Category"), max_length=60)
    text = forms.CharField(label=_("Item"), max_length=300)
    guidance = forms.CharField(label=_("How to check"), max_length=300, required=False)
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=10, initial=1)
    evidence = forms.ChoiceField(
        label=_("Evidence"), choices=EvidenceRule.choices, initial=EvidenceRule.PHOTO_ON_FAIL
    )


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    code = forms.SlugField(
        label=_("Code"),
        max_length=60,
        help_text=_("Letters, digits and hyphens; unique for the owner."),
    )
    purpose = forms.ChoiceField(label=_("For"), choices=Purpose.choices)
    owner: IdChoiceField[Org] = IdChoiceField(label=_("Belongs to"), queryset=None)
    copy_from: IdChoiceField[ChecklistTemplate] = IdChoiceField(
        label=_("Start from"),
        queryset=None,
        required=False,
        help_text=_("Copy the items of an existing checklist."),
    )

    def __init__(self, *args, owners, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["copy_from"].queryset = templates


class PublishForm(forms.Form):
    note = forms.CharField(label=_("What changed"), max_length=200, required=False)


class InspectionFilter(forms.Form):
    """The filters above the inspections list; every field optional."""

    purpose = forms.ChoiceField(
        label=_("Inspection"), required=False, choices=[("", _("All"))] + Purpose.choices
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All"))] + Level.choices
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + Status.choices
    )
    school = IdChoiceField(
        label=_("School"), queryset=Org.objects.none(), required=False, empty_label=_("All")
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    date_to = forms.DateField(label=_("Until"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools

    def values(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "purpose": data.get("purpose") or "",
            "level": data.get("level") or "",
            "status": data.get("status") or "",
            "org": data.get("school"),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }


class FindingFilter(InspectionFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["purpose"]
        del self.fields["status"]


class AccountabilityFilter(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All"))] + AccountabilityKind.choices
    )
    school = IdChoiceField(
        label=_("School"), queryset=Org.objects.none(), required=False, empty_label=_("All")
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools


def checklist_answers(data, files, items) -> tuple[dict, dict]:
    """Read the checklist screen: for each item, the chosen result (r<id>), the note (n<id>)
    and a photo (p<id>). Returns ({item: (result, note, upload)}, {item_id: error}) for the
    items the user touched; untouched items keep what they had."""
    answers, errors = {}, {}
    for item in items:
        result = data.get(f"r{item.pk}", "")
        note = data.get(f"n{item.pk}", "").strip()[:300]
        upload = files.get(f"p{item.pk}")
        if result and result not in Result.values:
            errors[item.pk] = str(_("Answer pass, fail or not applicable."))
            continue
        if not result:
            if note or upload:
                errors[item.pk] = str(_("Choose pass, fail or not applicable for this item."))
            continue
        answers[item] = (result, note, upload)
    return answers, errors
