"""What every resource of the public API shares.

`languages` negotiates the response language, `fields` and `serializers` give translated fields as a
string or as {"ja": …, "en": …}, `pagination` pages lists strictly, `views` holds the base viewset
(published-only querysets, conditional GET, exports), `exports` streams CSV and JSON, `errors` turns
every bad input into a 4xx JSON body, and `schema` describes the shared parameters for OpenAPI.
"""
