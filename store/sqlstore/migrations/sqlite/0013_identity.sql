-- IAM: users, groups, memberships, inline and managed policies, attachments; access keys
-- gain their owner and status.
CREATE TABLE iam_users (
    name    TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
    path    TEXT NOT NULL,
    id      TEXT NOT NULL UNIQUE,
    arn     TEXT NOT NULL,
    created INTEGER NOT NULL
) STRICT;

CREATE TABLE iam_groups (
    name    TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
    path    TEXT NOT NULL,
    id      TEXT NOT NULL UNIQUE,
    arn     TEXT NOT NULL,
    created INTEGER NOT NULL
) STRICT;

CREATE TABLE iam_group_members (
    group_name TEXT NOT NULL COLLATE NOCASE REFERENCES iam_groups (name),
    user_name  TEXT NOT NULL COLLATE NOCASE REFERENCES iam_users (name),
    PRIMARY KEY (group_name, user_name)
) STRICT;
CREATE INDEX iam_group_members_user ON iam_group_members (user_name);

CREATE TABLE iam_inline_policies (
    kind     TEXT NOT NULL,
    owner    TEXT NOT NULL COLLATE NOCASE,
    name     TEXT NOT NULL,
    document TEXT NOT NULL,
    PRIMARY KEY (kind, owner, name)
) STRICT;

CREATE TABLE iam_policies (
    arn             TEXT NOT NULL PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    path            TEXT NOT NULL,
    id              TEXT NOT NULL UNIQUE,
    description     TEXT NOT NULL,
    default_version TEXT NOT NULL,
    created         INTEGER NOT NULL,
    updated         INTEGER NOT NULL
) STRICT;

CREATE TABLE iam_policy_versions (
    policy_arn TEXT NOT NULL REFERENCES iam_policies (arn),
    version_id TEXT NOT NULL,
    document   TEXT NOT NULL,
    created    INTEGER NOT NULL,
    PRIMARY KEY (policy_arn, version_id)
) STRICT;

CREATE TABLE iam_attachments (
    kind       TEXT NOT NULL,
    owner      TEXT NOT NULL COLLATE NOCASE,
    policy_arn TEXT NOT NULL,
    PRIMARY KEY (kind, owner, policy_arn)
) STRICT;
CREATE INDEX iam_attachments_policy ON iam_attachments (policy_arn);

ALTER TABLE access_keys ADD COLUMN user_name TEXT NOT NULL DEFAULT '' COLLATE NOCASE;
ALTER TABLE access_keys ADD COLUMN status TEXT NOT NULL DEFAULT 'Active';
CREATE INDEX access_keys_user ON access_keys (user_name);
