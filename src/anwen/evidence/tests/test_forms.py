"""PL7: a form with an evidence field reports a wrong file with the form's other errors, before
anything is stored."""

import pytest
from django import forms
from django.utils.datastructures import MultiValueDict

from anwen.evidence.forms import PHOTO_KINDS, EvidenceField
from anwen.evidence.models import EvidenceFile
from anwen.evidence.tests.files import EXE, jpeg_bytes, pdf_bytes, png_bytes, upload

pytestmark = [pytest.mark.req("PL7")]


class FindingForm(forms.Form):
    note = forms.CharField()
    photos = EvidenceField(kinds=PHOTO_KINDS, camera=True, required=False, max_files=3)
    documents = EvidenceField(multiple=False, required=False)


def bound(**files):
    return FindingForm({"note": "灭火器过期"}, MultiValueDict(files))


@pytest.mark.django_db
def test_several_good_files_clean_to_a_list_and_nothing_is_stored():
    form = bound(photos=[upload("a.jpg", jpeg_bytes()), upload("b.png", png_bytes())])
    assert form.is_valid(), form.errors
    assert [f.name for f in form.cleaned_data["photos"]] == ["a.jpg", "b.png"]
    assert form.cleaned_data["documents"] == []
    assert not EvidenceFile.objects.exists()
    # The files can still be read in full by the service that stores them.
    assert form.cleaned_data["photos"][0].read() == jpeg_bytes()


def test_a_renamed_program_is_named_in_the_form_errors():
    form = bound(photos=[upload("a.jpg", jpeg_bytes()), upload("灭火器.jpg", EXE)])
    assert not form.is_valid()
    assert len(form.errors["photos"]) == 1 and form.errors["photos"][0].startswith("灭火器.jpg")


def test_a_photo_field_refuses_a_document():
    form = bound(photos=[upload("scan.pdf", pdf_bytes())])
    assert not form.is_valid() and "JPEG" in form.errors["photos"][0]


def test_too_many_files_are_refused():
    form = bound(photos=[upload(f"{i}.png", png_bytes()) for i in range(4)])
    assert not form.is_valid() and "3" in form.errors["photos"][0]


def test_the_widget_asks_for_the_camera_and_filters_the_picker():
    html = str(FindingForm()["photos"])
    assert 'capture="environment"' in html and "multiple" in html
    assert "image/jpeg" in html and "application/pdf" not in html
    single = str(FindingForm()["documents"])
    assert "multiple" not in single and ".docx" in single


def test_a_required_field_wants_a_file():
    class Required(forms.Form):
        scan = EvidenceField()

    form = Required({}, MultiValueDict())
    assert not form.is_valid() and "scan" in form.errors
