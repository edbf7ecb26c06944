"""Job arguments as the managed service's Python shell jobs read them: getResolvedOptions(sys.argv, names).

Written for Mortar from the documented behaviour (see docs/JOBS.md, "Python shell jobs"):
- every requested name is a required ``--name`` option, unknown arguments are ignored, and option names are never
  abbreviated;
- the names the service keeps for itself cannot be requested, except JOB_NAME;
- TempDir and RedshiftTempDir are optional, and each takes the other's value when only one is given;
- the bookmark option (``--job-bookmark-option``, or the older ``--continuation-option``) is always read and defaults
  to job-bookmark-disable.
"""

import argparse

__all__ = ["GlueArgumentError", "getResolvedOptions"]

BOOKMARK_OPTION = "job-bookmark-option"
BOOKMARK_CHOICES = ("job-bookmark-enable", "job-bookmark-disable", "job-bookmark-pause")
BOOKMARK_DEFAULT = "job-bookmark-disable"

# the older names of the bookmark option's values
CONTINUATION_CHOICES = {
    "continuation-enabled": "job-bookmark-enable",
    "continuation-readonly": "job-bookmark-pause",
    "continuation-ignore": "job-bookmark-disable",
}

RESERVED = (
    "job-bookmark-option",
    "continuation-option",
    "job-bookmark-from",
    "job-bookmark-to",
    "JOB_ID",
    "JOB_RUN_ID",
    "SECURITY_CONFIGURATION",
    "encryption-type",
    "enable-data-lineage",
)

MIRRORED = ("TempDir", "RedshiftTempDir")


class GlueArgumentError(Exception):
    """The job's arguments do not satisfy what the script asked for; the message is argparse's."""


class _Parser(argparse.ArgumentParser):
    # argparse prints its usage and exits with status 2; a job sees an exception it can catch instead
    def error(self, message):
        raise GlueArgumentError(message)


def getResolvedOptions(args, options):
    """Reads the options named in ``options`` from ``args`` (sys.argv: the script, then ``--name value`` tokens).

    Returns a dict of each requested name to its value, plus ``job_bookmark_option`` (and ``job_bookmark_from`` and
    ``job_bookmark_to`` when given).
    """
    names = []
    for name in options:
        if name not in names:
            names.append(name)
    refused = [name for name in names if name in RESERVED]
    if refused:
        raise GlueArgumentError(
            "these argument names are kept for the job system and cannot be requested: "
            + ", ".join(refused))

    parser = _Parser(allow_abbrev=False, add_help=False)
    parser.add_argument("--" + BOOKMARK_OPTION, dest="job_bookmark_option", choices=BOOKMARK_CHOICES, default=None)
    parser.add_argument("--continuation-option", dest="continuation_option", choices=tuple(CONTINUATION_CHOICES),
                        default=None)
    parser.add_argument("--job-bookmark-from", dest="job_bookmark_from", default=None)
    parser.add_argument("--job-bookmark-to", dest="job_bookmark_to", default=None)
    for name in names:
        if name not in MIRRORED:
            parser.add_argument("--" + name, dest=name, required=True)
    mirrored = [name for name in MIRRORED if name in names]
    if mirrored:
        for name in MIRRORED:
            parser.add_argument("--" + name, dest=name, default=None)

    given, _unknown = parser.parse_known_args(list(args[1:]))
    resolved = vars(given)

    continuation = resolved.pop("continuation_option")
    if resolved["job_bookmark_option"] is None:
        resolved["job_bookmark_option"] = CONTINUATION_CHOICES.get(continuation, BOOKMARK_DEFAULT)

    bookmark_from = resolved.pop("job_bookmark_from")
    bookmark_to = resolved.pop("job_bookmark_to")
    if (bookmark_from is None) != (bookmark_to is None):
        raise GlueArgumentError("give both --job-bookmark-from and --job-bookmark-to, or neither")
    if bookmark_from is not None:
        if resolved["job_bookmark_option"] != "job-bookmark-pause":
            raise GlueArgumentError(
                "Invalid option(s): --job-bookmark-from and --job-bookmark-to need --job-bookmark-option "
                "job-bookmark-pause")
        resolved["job_bookmark_from"] = bookmark_from
        resolved["job_bookmark_to"] = bookmark_to

    if mirrored:
        temp_dir = resolved.pop("TempDir")
        redshift_temp_dir = resolved.pop("RedshiftTempDir")
        values = {
            "TempDir": temp_dir if temp_dir is not None else redshift_temp_dir,
            "RedshiftTempDir": redshift_temp_dir if redshift_temp_dir is not None else temp_dir,
        }
        for name in mirrored:
            resolved[name] = values[name]
    return resolved
