class DomainError(Exception):
    """A rule of the domain was broken: an illegal transition, a value out of policy.

    Views show the message on the form; the API answers 400 with it.
    """
