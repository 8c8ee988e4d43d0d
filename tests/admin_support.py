"""What the admin's tests share: the fixtures' meetings whose parts they reorder, and a record's change form
posted as an editor sends it."""

from django.urls import reverse

from tests.html_forms import form_data

EDUCATION = "g7-2023-education-toyama-kanazawa"
TRADE = "g7-2023-trade-osaka-sakai"


def change_url(record) -> str:
    return reverse(f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk])


def post_change(client, record, changes: dict):
    """Open the record's change form, change what `changes` says ({input name: value}) and save it."""
    url = change_url(record)
    data = form_data(client.get(url), f"{record._meta.model_name}_form")
    for name, value in changes.items():
        assert name in data or name.endswith("-DELETE"), name
        data[name] = [value]
    response = client.post(url, data)
    errors = response.context and [
        response.context["adminform"].form.errors,
        *(inline.formset.errors for inline in response.context["inline_admin_formsets"]),
        *(inline.formset.non_form_errors() for inline in response.context["inline_admin_formsets"]),
    ]
    assert response.status_code == 302, errors
    return response
