-- Each part of a session's relay recording (one per agent connection), with the SHA-256 taken
-- when the part was closed: a changed file fails its check.

create table recording_file (
    id          bigserial     primary key,
    session_id  varchar(64)   not null references support_session (id),
    part        integer       not null check (part >= 1),
    path        varchar(1024) not null unique,
    size_bytes  bigint        not null,
    sha256      char(64)      not null,
    closed_at   timestamptz   not null,
    unique (session_id, part)
);
create index recording_file_session on recording_file (session_id, part);
