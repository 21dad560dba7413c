"""Backfill every beneficiary's proof of life (issue #12, ADR 0011) from what the database
already holds, taking the latest date of each person over the sources the rule counts:

- seen alive in the register, identity confirmed in person (verification statuses);
- met in person on an outreach visit (a visit that reached the person);
- the provider's confirmation of an account held by the person themself (approved change
  requests it confirmed, account notices that verified an account or confirmed a request);
- a cash payment collected (a cash line paid);
- the month the person started being paid into an account (a payment-method version into an
  account following none, or a cash one).

Set-based (one UPDATE ... FROM per source, forward only), so it runs at national size."""

from django.conf import settings
from django.db import migrations

ACCOUNT_METHODS = "('BANK_ACCOUNT', 'MOBILE_MONEY', 'EWALLET')"


def _local_date(vendor: str, column: str) -> str:
    if vendor == "postgresql":
        return f"(({column}) AT TIME ZONE '{settings.TIME_ZONE}')::date"
    import datetime as dt
    import zoneinfo

    offset = dt.datetime.now(zoneinfo.ZoneInfo(settings.TIME_ZONE)).utcoffset()
    hours = int(offset.total_seconds() // 3600) if offset else 0
    return f"date({column}, '{hours:+d} hours')"


def _subqueries(vendor: str) -> dict[str, str]:
    d = lambda col: _local_date(vendor, col)  # noqa: E731
    return {
        "register": f"SELECT beneficiary_id AS bid, MAX({d('alive_seen_at')}) AS d "
                    "FROM verification_personstatus WHERE alive_seen_at IS NOT NULL "
                    "GROUP BY beneficiary_id",
        "in_person": f"SELECT beneficiary_id AS bid, MAX({d('identity_confirmed_at')}) AS d "
                     "FROM verification_personstatus WHERE identity_confirmed_at IS NOT NULL "
                     "GROUP BY beneficiary_id",
        "outreach": "SELECT a.beneficiary_id AS bid, MAX(c.date) AS d FROM outreach_contact c "
                    "JOIN outreach_assignment a ON a.id = c.assignment_id "
                    "WHERE c.channel = 'visit' AND c.outcome IN ('agreed', 'declined', "
                    "'needs_id_card', 'needs_phone', 'needs_account') GROUP BY a.beneficiary_id",
        "provider": (
            f"SELECT bid, MAX(d) AS d FROM ("
            f"SELECT beneficiary_id AS bid, {d('provider_confirmed_at')} AS d "
            f"FROM payment_methods_changerequest WHERE status = 'approved' "
            f"AND provider_confirmed_at IS NOT NULL AND payee_representative_id IS NULL "
            f"UNION ALL "
            f"SELECT n.beneficiary_id AS bid, {d('n.created_at')} AS d "
            f"FROM payment_methods_accountnotice n "
            f"LEFT JOIN payment_methods_account a ON a.id = n.account_id "
            f"LEFT JOIN payment_methods_changerequest r ON r.id = n.change_request_id "
            f"WHERE n.beneficiary_id IS NOT NULL AND n.name_check = 'match' "
            f"AND n.outcome IN ('verified_account', 'confirmed_request') "
            f"AND a.representative_id IS NULL AND r.payee_representative_id IS NULL"
            f") p GROUP BY bid"),
        "cash": f"SELECT beneficiary_id AS bid, MAX({d('updated_at')}) AS d "
                "FROM disbursement_payrollline WHERE status = 'paid' "
                "AND channel IN ('CASH_PAY_POINT', 'CASH_HOME') GROUP BY beneficiary_id",
        "account_start": (
            f"SELECT bid, MAX(d) AS d FROM ("
            f"SELECT beneficiary_id AS bid, effective_month AS d, method, "
            f"LAG(method) OVER (PARTITION BY beneficiary_id ORDER BY effective_month) AS prev "
            f"FROM payment_methods_paymentmethod) v "
            f"WHERE method IN {ACCOUNT_METHODS} "
            f"AND (prev IS NULL OR prev NOT IN {ACCOUNT_METHODS}) GROUP BY bid"),
    }


def backfill(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    table = "registry_beneficiary"
    for source, sub in _subqueries(vendor).items():
        schema_editor.execute(
            f"UPDATE {table} SET proof_of_life_on = s.d, proof_of_life_source = %s, "
            f"proof_of_life_ref = 'backfill' FROM ({sub}) s WHERE s.bid = {table}.id "
            f"AND s.d IS NOT NULL AND ({table}.proof_of_life_on IS NULL "
            f"OR {table}.proof_of_life_on < s.d)", [source])


def forget(apps, schema_editor):
    schema_editor.execute("UPDATE registry_beneficiary SET proof_of_life_on = NULL, "
                          "proof_of_life_source = '', proof_of_life_ref = '' "
                          "WHERE proof_of_life_ref = 'backfill'")


class Migration(migrations.Migration):

    dependencies = [
        ("verification", "0003_i12_pol_proof_of_life_reminders"),
        ("registry", "0007_i12_pol_proof_of_life"),
        ("outreach", "0001_initial"),
        ("payment_methods", "0005_payment_method_needs_change_request"),
        ("disbursement", "0007_i12_pol_cycleitem_proof_of_life_on"),
    ]

    operations = [migrations.RunPython(backfill, forget)]
