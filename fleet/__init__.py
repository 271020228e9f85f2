"""Fleet updates: bring a template release to every client project of a fleet file.

`make fleet-status FLEET=…` reads where each project stands; `make fleet-update FLEET=…`
updates each one on a branch of its own, in a work folder this tool owns (never the
project's checkout), runs the project's checks and writes a report (docs/agency.md).
"""
