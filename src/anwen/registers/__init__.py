"""Registers: the things the plan counts (security devices, guards, fire equipment, school
buses and drivers, dangerous waters, safety funding …), each a plain model of its own app and a
*declaration* here, so that every register gets the same list, form, Excel template, whole-file
import, export and "due soon / expired" reminders without a line of its own.

- `declare.py`: `Register` (the model, its fields, its identity within a school) and `Dated`
  (a date field that expires or falls due), `register_register`.
- `imports.py`: the one import path of every register, on `anwen.importing` (template with
  dropdowns, whole-file check, one message per bad cell, all or nothing), for an uploaded file
  and for rows posted to the API alike.
- `expiry.py`: the one "due soon / expired" mechanism: a district list, the inbox
  (`todo.py`) and the reminders (`tasks.py`) all read it.
- `views.py`: the generic pages under /registers/<key>/.
"""
