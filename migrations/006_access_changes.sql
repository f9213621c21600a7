-- Who may do what is kept in memory by the running fake (tokens, grants, workspace scopes). Every change to it
-- calls access_changed(), a function each connection of the fake registers, which empties that memory: no write
-- path, however it reaches these tables, can leave a stale answer behind.

CREATE TRIGGER workspaces_insert_changes_access AFTER INSERT ON workspaces BEGIN SELECT access_changed(); END;
CREATE TRIGGER workspaces_update_changes_access AFTER UPDATE ON workspaces BEGIN SELECT access_changed(); END;
CREATE TRIGGER workspaces_delete_changes_access AFTER DELETE ON workspaces BEGIN SELECT access_changed(); END;

CREATE TRIGGER partitions_insert_changes_access AFTER INSERT ON partitions BEGIN SELECT access_changed(); END;
CREATE TRIGGER partitions_update_changes_access AFTER UPDATE ON partitions BEGIN SELECT access_changed(); END;
CREATE TRIGGER partitions_delete_changes_access AFTER DELETE ON partitions BEGIN SELECT access_changed(); END;

CREATE TRIGGER workspace_partitions_insert_changes_access AFTER INSERT ON workspace_partitions BEGIN SELECT access_changed(); END;
CREATE TRIGGER workspace_partitions_update_changes_access AFTER UPDATE ON workspace_partitions BEGIN SELECT access_changed(); END;
CREATE TRIGGER workspace_partitions_delete_changes_access AFTER DELETE ON workspace_partitions BEGIN SELECT access_changed(); END;

CREATE TRIGGER roles_insert_changes_access AFTER INSERT ON roles BEGIN SELECT access_changed(); END;
CREATE TRIGGER roles_update_changes_access AFTER UPDATE ON roles BEGIN SELECT access_changed(); END;
CREATE TRIGGER roles_delete_changes_access AFTER DELETE ON roles BEGIN SELECT access_changed(); END;

CREATE TRIGGER role_permissions_insert_changes_access AFTER INSERT ON role_permissions BEGIN SELECT access_changed(); END;
CREATE TRIGGER role_permissions_update_changes_access AFTER UPDATE ON role_permissions BEGIN SELECT access_changed(); END;
CREATE TRIGGER role_permissions_delete_changes_access AFTER DELETE ON role_permissions BEGIN SELECT access_changed(); END;

CREATE TRIGGER users_insert_changes_access AFTER INSERT ON users BEGIN SELECT access_changed(); END;
CREATE TRIGGER users_update_changes_access AFTER UPDATE ON users BEGIN SELECT access_changed(); END;
CREATE TRIGGER users_delete_changes_access AFTER DELETE ON users BEGIN SELECT access_changed(); END;

CREATE TRIGGER user_roles_insert_changes_access AFTER INSERT ON user_roles BEGIN SELECT access_changed(); END;
CREATE TRIGGER user_roles_update_changes_access AFTER UPDATE ON user_roles BEGIN SELECT access_changed(); END;
CREATE TRIGGER user_roles_delete_changes_access AFTER DELETE ON user_roles BEGIN SELECT access_changed(); END;

CREATE TRIGGER services_insert_changes_access AFTER INSERT ON services BEGIN SELECT access_changed(); END;
CREATE TRIGGER services_update_changes_access AFTER UPDATE ON services BEGIN SELECT access_changed(); END;
CREATE TRIGGER services_delete_changes_access AFTER DELETE ON services BEGIN SELECT access_changed(); END;

-- A new token changes nothing cached; a removed one (expired and purged, revoked, wiped) may have been cached.
CREATE TRIGGER access_tokens_delete_changes_access AFTER DELETE ON access_tokens BEGIN SELECT access_changed(); END;
