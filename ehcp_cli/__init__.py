"""ehcp: a command-line caseload tracker for EHCP coordinators in English local authorities."""

__version__ = "0.1.0"
