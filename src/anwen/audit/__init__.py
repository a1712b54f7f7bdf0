"""The audit trail. `from anwen import audit; audit.record(actor=…, action=…, obj=…)`."""


def record(**kwargs):
    from anwen.audit.services import record as _record

    return _record(**kwargs)


def record_view(**kwargs):
    from anwen.audit.services import record_view as _record_view

    return _record_view(**kwargs)


def client_ip(request):
    from anwen.audit.services import client_ip as _client_ip

    return _client_ip(request)
