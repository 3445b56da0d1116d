"""What an event may hold: its actions and the shape of its ids and names.

One place for the rules that both readers of progress files enforce: pydantic at the edges
(``event_schema``) and the regular expression that reads files as written (``event_lines``).
"""

from __future__ import annotations

from typing import Literal, get_args

__all__ = ["ACTIONS", "ID_CHARACTERS", "ID_MAX", "NAME_MAX", "Action"]

Action = Literal["done", "start", "skip", "reset", "note", "undo"]
#: Each action by name, one shared string for every event that records it.
ACTIONS: dict[str, Action] = {action: action for action in get_args(Action)}
#: What an event id (and a device id, which names files) is made of, and its longest length.
ID_CHARACTERS = "0-9A-Za-z_-"
ID_MAX = 64
#: The longest catalogue or item id an event may name.
NAME_MAX = 200
