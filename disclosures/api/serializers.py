"""Plain dictionaries of what the API publishes: only fields a public page may show."""

from merchants.presentation import pledge_text


def disclosure(record):
    return {
        "complaint_number": record.complaint_number,
        "respondent_name": record.respondent_name,
        "credit_code": record.credit_code or None,
        "region_code": record.region_id,
        "respondent_address": record.respondent_address,
        "category": record.category.name,
        "problem_type": record.problem_type.name,
        "summary": record.summary,
        "consumer_request": record.consumer_request,
        "complained_on": record.complained_on.isoformat(),
        "handling_department": record.handling_department,
        "result": record.result.name,
        "closed_on": record.closed_on.isoformat() if record.closed_on else None,
        "recovered_amount": str(record.recovered_amount),
        "disclosed_on": record.disclosed_on.isoformat(),
        "display_until": record.display_until.isoformat(),
        "objection_state": record.objection_state,
    }


def facets(results):
    return {
        name: [{"value": f.value, "label": f.label, "count": f.count} for f in counts]
        for name, counts in results.facets.items()
    }


def merchant(item, today):
    code = item.current_code
    return {
        "credit_code": item.credit_code,
        "registered_name": item.registered_name,
        "shop_name": item.shop_name,
        "region_code": item.region_id,
        "region_name": item.region.full_name,
        "address": item.address,
        "district": item.district.name if item.district else None,
        "is_odr": item.is_odr,
        "has_service_station": item.has_service_station,
        "status": item.public_status(today),
        "status_reason": item.status_reason or None,
        "status_changed_on": item.status_changed_on.isoformat() if item.status_changed_on else None,
        "code": code.code if code else None,
        "pledges": [
            {
                "type": pledge.pledge_type.name,
                "text": pledge_text(pledge, today).lines,
                "return_days": pledge.return_days,
                "starts_on": pledge.starts_on.isoformat(),
                "ends_on": pledge.ends_on.isoformat() if pledge.ends_on else None,
                "in_force": pledge.is_in_force(today),
            }
            for pledge in item.pledges.all()
        ],
    }


def record_totals(record):
    return {
        "total": record.total,
        "last_12_months": record.last_12_months,
        "previous_12_months": record.previous_12_months,
        "growth_percent": record.growth_percent,
        "mediation_success_percent": record.mediation_success_percent,
        "recovered_amount": str(record.recovered),
    }
