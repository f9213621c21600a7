-- LaunchPoint custom services and the access tokens issued to them.
CREATE TABLE services (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL COLLATE NOCASE UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  api_only_user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
  client_id TEXT NOT NULL UNIQUE,
  client_secret TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE INDEX services_by_user ON services (api_only_user_id);

CREATE TABLE access_tokens (
  token TEXT PRIMARY KEY,
  service_id INTEGER NOT NULL REFERENCES services (id) ON DELETE CASCADE,
  issued_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX access_tokens_by_service ON access_tokens (service_id, expires_at);
