"""The statutory domain: events, stages and deadline rules as pure functions of dates.

Nothing in this package imports Typer, rich, SQLModel or SQLAlchemy, and nothing reads the clock:
every judgement of time takes an explicit ``as_of`` date so reports are reproducible.
"""
