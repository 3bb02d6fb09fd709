"""
moto 5.2.1 delivers an EventBridge event to a target through EventTemplateParser.parse, which parses eight JSONPath
expressions (the default input paths) with jsonpath_ng for every event and every target. jsonpath_ng.ext.parse builds
a new PLY parser, LALR tables included, on each call: about 120 ms, so one PutEvents entry that a rule routes to SQS
cost about a second (measured: 1.3 s for one entry, 8.3 s for ten; 13 ms when no rule matches). The expressions are
the same few strings every time and a parsed expression is immutable (find() reads the event only), so they are
parsed once and kept. What moto delivers is unchanged.
"""

import functools
from typing import Any

import jsonpath_ng.ext  # noqa: E402

#: The default input paths and any InputTransformer's: a handful of distinct strings.
_PARSED_PATHS = 256


def patch_event_path_parsing() -> None:
    # moto imports `parse` from jsonpath_ng.ext inside the function, at each call: the module attribute is what it gets.
    parse: Any = jsonpath_ng.ext.parse
    jsonpath_ng.ext.parse = functools.lru_cache(maxsize=_PARSED_PATHS)(parse)  # type: ignore[assignment]
