"""What each public page shows, gathered in a fixed number of queries."""


def home_context():
    return {}


def organization_context(organization):
    return {}


def service_context(service):
    return {}
