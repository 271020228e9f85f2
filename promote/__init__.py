"""Promote a client project's fix back into the template: `make promote FROM=… REV=…`.

Agencies fix template-owned code where they meet the bug: in a client project. This
package takes that commit, maps every generated path back to its source in the template
(module and theme links, `.jinja` suffixes, `{{project_slug}}` names), reverses the
client's answers in rendered files where that is unambiguous, and commits the result on
a `promote/<client>-<sha>` branch, after checking that the template re-renders the
client's change byte for byte (docs/agency.md, "Promote a fix from a client project").
"""
