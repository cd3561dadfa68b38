"""The synthetic sample caseload, shipped in the wheel as `ehcp_cli.sample_data` for `ehcp demo`."""
