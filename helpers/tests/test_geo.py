"""The ISO lists and the regions a remote job may name (helpers/geo.py)."""

from helpers import geo


def test_region_codes_never_read_as_a_country_and_hold_only_countries():
    assert not set(geo.REGIONS) & geo.COUNTRIES
    for members in geo.REGIONS.values():
        assert members <= geo.COUNTRIES
    assert set(geo.REGION_NAMES) == set(geo.REGIONS)


def test_the_eea_is_the_eu_with_iceland_liechtenstein_and_norway():
    assert len(geo.REGIONS["EU"]) == 27
    assert geo.REGIONS["EEA"] - geo.REGIONS["EU"] == {"IS", "LI", "NO"}
    assert "GB" not in geo.REGIONS["EU"]


def test_a_country_is_accepted_by_its_own_code_and_every_region_holding_it():
    assert geo.accepting_codes("DE") == ["DE", "DACH", "EEA", "EU"]
    assert geo.accepting_codes("NO") == ["NO", "EEA", "EFTA", "NORDICS"]
    assert geo.accepting_codes("US") == ["US"]


def test_the_iso_lists_hold_current_codes():
    assert {"DE", "GB", "US", "SS", "XK"} - geo.COUNTRIES == {"XK"}  # Kosovo has no ISO code yet
    assert {"EUR", "GBP", "USD", "SLE"} <= geo.CURRENCIES
