"""What the tests of the parts' order share (README, "Order of parts"): a record's change page, its change
form posted as the page gives it, and the change note of such a save."""

from django.urls import reverse

from tests.html_forms import form_data

NOTE = "Shown in the order of the source's summary."


def change_url(record):
    return reverse(f"admin:{record._meta.app_label}_{record._meta.model_name}_change", args=[record.pk])


def post_change(client, record, changes: dict):
    """Post the record's change form as the page gives it, with `changes`; the response after the redirect."""
    url = change_url(record)
    data = form_data(client.get(url), f"{record._meta.model_name}_form")
    for name, value in changes.items():
        data[name] = [value]
    response = client.post(url, data)
    errors = response.context and [
        response.context["adminform"].form.errors,
        *(inline.formset.errors for inline in response.context["inline_admin_formsets"]),
        *(inline.formset.non_form_errors() for inline in response.context["inline_admin_formsets"]),
    ]
    assert response.status_code == 302, errors
    return response
