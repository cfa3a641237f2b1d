import json


def handle(request):
    """Answer one request."""
    body = json.loads(request)
    return {"ok": True, "echo": body}


def handle_error(err):
    # TODO: log the error
    return {"ok": False, "error": str(err)}
