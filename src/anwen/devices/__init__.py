"""Security devices (SM3.1): each school's one-key alarms, cameras, access control and patrol
points, whether each is networked to the police and when it was last checked — a register
(`registers.py`) with the district's networked rate against the plan's target (`rates.py`), a
bulk status update from a video platform's export (`views.status_import`) and a status feed
posted to the API (`api.py`), both through the registers' one import path."""
