export namespace app {
	
	export class AttachResult {
	    path: string;
	    entry?: blotter.Entry;
	    error?: string;
	
	    static createFrom(source: any = {}) {
	        return new AttachResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.entry = this.convertValues(source["entry"], blotter.Entry);
	        this.error = source["error"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ChangeSet {
	    entries: blotter.Entry[];
	    cursor: number;
	
	    static createFrom(source: any = {}) {
	        return new ChangeSet(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.entries = this.convertValues(source["entries"], blotter.Entry);
	        this.cursor = source["cursor"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class EditInput {
	    text?: string;
	    occurred_at?: string;
	    tags?: string[];
	
	    static createFrom(source: any = {}) {
	        return new EditInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.text = source["text"];
	        this.occurred_at = source["occurred_at"];
	        this.tags = source["tags"];
	    }
	}
	export class HistoryItem {
	    revision?: blotter.Revision;
	    entry?: blotter.Entry;
	
	    static createFrom(source: any = {}) {
	        return new HistoryItem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.revision = this.convertValues(source["revision"], blotter.Revision);
	        this.entry = this.convertValues(source["entry"], blotter.Entry);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Hotkey {
	    action: string;
	    combo: string;
	    problem?: string;
	
	    static createFrom(source: any = {}) {
	        return new Hotkey(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.action = source["action"];
	        this.combo = source["combo"];
	        this.problem = source["problem"];
	    }
	}
	export class NoteInput {
	    text: string;
	    occurred_at: string;
	    tags: string[];
	
	    static createFrom(source: any = {}) {
	        return new NoteInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.text = source["text"];
	        this.occurred_at = source["occurred_at"];
	        this.tags = source["tags"];
	    }
	}
	export class Settings {
	    author: string;
	    data_dir: string;
	
	    static createFrom(source: any = {}) {
	        return new Settings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.author = source["author"];
	        this.data_dir = source["data_dir"];
	    }
	}
	export class Snapshot {
	    incident?: blotter.Incident;
	    entries: blotter.Entry[];
	    cursor: number;
	
	    static createFrom(source: any = {}) {
	        return new Snapshot(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.incident = this.convertValues(source["incident"], blotter.Incident);
	        this.entries = this.convertValues(source["entries"], blotter.Entry);
	        this.cursor = source["cursor"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SyncItem {
	    id: number;
	    subject: string;
	    subject_id: string;
	    attempts: number;
	    error: string;
	
	    static createFrom(source: any = {}) {
	        return new SyncItem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.subject = source["subject"];
	        this.subject_id = source["subject_id"];
	        this.attempts = source["attempts"];
	        this.error = source["error"];
	    }
	}
	export class SyncPanel {
	    state: syncer.State;
	    url: string;
	    project: string;
	    link?: syncer.GitLabIncident;
	    pending: SyncItem[];
	    failed: SyncItem[];
	    comments: boolean;
	
	    static createFrom(source: any = {}) {
	        return new SyncPanel(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.state = this.convertValues(source["state"], syncer.State);
	        this.url = source["url"];
	        this.project = source["project"];
	        this.link = this.convertValues(source["link"], syncer.GitLabIncident);
	        this.pending = this.convertValues(source["pending"], SyncItem);
	        this.failed = this.convertValues(source["failed"], SyncItem);
	        this.comments = source["comments"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TaskInput {
	    title: string;
	    description: string;
	    assignee: string;
	    due_at: string;
	    status: string;
	    links: string[];
	
	    static createFrom(source: any = {}) {
	        return new TaskInput(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.title = source["title"];
	        this.description = source["description"];
	        this.assignee = source["assignee"];
	        this.due_at = source["due_at"];
	        this.status = source["status"];
	        this.links = source["links"];
	    }
	}
	export class TextExcerpt {
	    text: string;
	    truncated: boolean;
	    size: number;
	    binary: boolean;
	
	    static createFrom(source: any = {}) {
	        return new TextExcerpt(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.text = source["text"];
	        this.truncated = source["truncated"];
	        this.size = source["size"];
	        this.binary = source["binary"];
	    }
	}
	export class WindowState {
	    mode: string;
	    screen: string;
	    edge: string;
	    screens: screen.Monitor[];
	
	    static createFrom(source: any = {}) {
	        return new WindowState(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.mode = source["mode"];
	        this.screen = source["screen"];
	        this.edge = source["edge"];
	        this.screens = this.convertValues(source["screens"], screen.Monitor);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace blotter {
	
	export class Document {
	    id: string;
	    incident_id: string;
	    kind: string;
	    body: string;
	    updated_at: string;
	    updated_by: string;
	    revision: number;
	
	    static createFrom(source: any = {}) {
	        return new Document(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.incident_id = source["incident_id"];
	        this.kind = source["kind"];
	        this.body = source["body"];
	        this.updated_at = source["updated_at"];
	        this.updated_by = source["updated_by"];
	        this.revision = source["revision"];
	    }
	}
	export class Source {
	    url: string;
	    thread?: string;
	
	    static createFrom(source: any = {}) {
	        return new Source(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.url = source["url"];
	        this.thread = source["thread"];
	    }
	}
	export class Secret {
	    kind: string;
	    start: number;
	    end: number;
	
	    static createFrom(source: any = {}) {
	        return new Secret(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.start = source["start"];
	        this.end = source["end"];
	    }
	}
	export class Evidence {
	    sha256: string;
	    name: string;
	    size: number;
	    media_type: string;
	    source_path?: string;
	    link_target?: string;
	
	    static createFrom(source: any = {}) {
	        return new Evidence(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.sha256 = source["sha256"];
	        this.name = source["name"];
	        this.size = source["size"];
	        this.media_type = source["media_type"];
	        this.source_path = source["source_path"];
	        this.link_target = source["link_target"];
	    }
	}
	export class Entry {
	    id: string;
	    incident_id: string;
	    kind: string;
	    // Go type: time
	    occurred_at: any;
	    // Go type: time
	    recorded_at: any;
	    author: string;
	    text: string;
	    tags: string[];
	    evidence: Evidence[];
	    secrets?: Secret[];
	    source?: Source;
	    revision: number;
	    deleted: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Entry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.incident_id = source["incident_id"];
	        this.kind = source["kind"];
	        this.occurred_at = this.convertValues(source["occurred_at"], null);
	        this.recorded_at = this.convertValues(source["recorded_at"], null);
	        this.author = source["author"];
	        this.text = source["text"];
	        this.tags = source["tags"];
	        this.evidence = this.convertValues(source["evidence"], Evidence);
	        this.secrets = this.convertValues(source["secrets"], Secret);
	        this.source = this.convertValues(source["source"], Source);
	        this.revision = source["revision"];
	        this.deleted = source["deleted"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class Incident {
	    id: string;
	    title: string;
	    severity: string;
	    status: string;
	    // Go type: time
	    created_at: any;
	    created_by: string;
	    revision: number;
	
	    static createFrom(source: any = {}) {
	        return new Incident(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.title = source["title"];
	        this.severity = source["severity"];
	        this.status = source["status"];
	        this.created_at = this.convertValues(source["created_at"], null);
	        this.created_by = source["created_by"];
	        this.revision = source["revision"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class IncidentUpdate {
	    title?: string;
	    severity?: string;
	    status?: string;
	
	    static createFrom(source: any = {}) {
	        return new IncidentUpdate(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.title = source["title"];
	        this.severity = source["severity"];
	        this.status = source["status"];
	    }
	}
	export class ObservableUse {
	    kind: string;
	    value: string;
	    entry_ids: string[];
	
	    static createFrom(source: any = {}) {
	        return new ObservableUse(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.value = source["value"];
	        this.entry_ids = source["entry_ids"];
	    }
	}
	export class Revision {
	    seq: number;
	    incident_id: string;
	    subject: string;
	    subject_id: string;
	    revision: number;
	    action: string;
	    by: string;
	    at: string;
	    reason?: string;
	    content: string;
	    prev_hash: string;
	    hash: string;
	
	    static createFrom(source: any = {}) {
	        return new Revision(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.seq = source["seq"];
	        this.incident_id = source["incident_id"];
	        this.subject = source["subject"];
	        this.subject_id = source["subject_id"];
	        this.revision = source["revision"];
	        this.action = source["action"];
	        this.by = source["by"];
	        this.at = source["at"];
	        this.reason = source["reason"];
	        this.content = source["content"];
	        this.prev_hash = source["prev_hash"];
	        this.hash = source["hash"];
	    }
	}
	
	
	export class Task {
	    id: string;
	    incident_id: string;
	    title: string;
	    description: string;
	    assignee: string;
	    due_at: string;
	    status: string;
	    blocked_reason: string;
	    links: string[];
	    rank: number;
	    created_at: string;
	    created_by: string;
	    revision: number;
	
	    static createFrom(source: any = {}) {
	        return new Task(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.incident_id = source["incident_id"];
	        this.title = source["title"];
	        this.description = source["description"];
	        this.assignee = source["assignee"];
	        this.due_at = source["due_at"];
	        this.status = source["status"];
	        this.blocked_reason = source["blocked_reason"];
	        this.links = source["links"];
	        this.rank = source["rank"];
	        this.created_at = source["created_at"];
	        this.created_by = source["created_by"];
	        this.revision = source["revision"];
	    }
	}
	export class VerifyReport {
	    incident_id: string;
	    title: string;
	    revisions: number;
	    entries: number;
	    tasks: number;
	    documents?: number;
	    head: string;
	    problem?: string;
	
	    static createFrom(source: any = {}) {
	        return new VerifyReport(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.incident_id = source["incident_id"];
	        this.title = source["title"];
	        this.revisions = source["revisions"];
	        this.entries = source["entries"];
	        this.tasks = source["tasks"];
	        this.documents = source["documents"];
	        this.head = source["head"];
	        this.problem = source["problem"];
	    }
	}

}

export namespace recorder {
	
	export class SlackWorkspace {
	    team: string;
	    team_id: string;
	    url: string;
	    bot_user: string;
	    bot_user_id: string;
	    api_url?: string;
	
	    static createFrom(source: any = {}) {
	        return new SlackWorkspace(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.team = source["team"];
	        this.team_id = source["team_id"];
	        this.url = source["url"];
	        this.bot_user = source["bot_user"];
	        this.bot_user_id = source["bot_user_id"];
	        this.api_url = source["api_url"];
	    }
	}
	export class VerifyResult {
	    incidents: blotter.VerifyReport[];
	    evidence_checked: number;
	    evidence_not_held: number;
	    problems: string[];
	
	    static createFrom(source: any = {}) {
	        return new VerifyResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.incidents = this.convertValues(source["incidents"], blotter.VerifyReport);
	        this.evidence_checked = source["evidence_checked"];
	        this.evidence_not_held = source["evidence_not_held"];
	        this.problems = source["problems"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace screen {
	
	export class Monitor {
	    name: string;
	    x: number;
	    y: number;
	    width: number;
	    height: number;
	    primary: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Monitor(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.x = source["x"];
	        this.y = source["y"];
	        this.width = source["width"];
	        this.height = source["height"];
	        this.primary = source["primary"];
	    }
	}

}

export namespace syncer {
	
	export class GitLabIncident {
	    project: string;
	    iid: number;
	    id: number;
	    web_url: string;
	
	    static createFrom(source: any = {}) {
	        return new GitLabIncident(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.project = source["project"];
	        this.iid = source["iid"];
	        this.id = source["id"];
	        this.web_url = source["web_url"];
	    }
	}
	export class ImportResult {
	    messages: number;
	    added: number;
	    updated: number;
	    skipped: number;
	
	    static createFrom(source: any = {}) {
	        return new ImportResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.messages = source["messages"];
	        this.added = source["added"];
	        this.updated = source["updated"];
	        this.skipped = source["skipped"];
	    }
	}
	export class Published {
	    kind: string;
	    revision: number;
	    gitlab_url?: string;
	    updated: boolean;
	    slack_channel?: string;
	    skipped?: string[];
	
	    static createFrom(source: any = {}) {
	        return new Published(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.revision = source["revision"];
	        this.gitlab_url = source["gitlab_url"];
	        this.updated = source["updated"];
	        this.slack_channel = source["slack_channel"];
	        this.skipped = source["skipped"];
	    }
	}
	export class SlackChannel {
	    channel_id: string;
	    channel_name: string;
	    team_id: string;
	    header_ts?: string;
	
	    static createFrom(source: any = {}) {
	        return new SlackChannel(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.channel_id = source["channel_id"];
	        this.channel_name = source["channel_name"];
	        this.team_id = source["team_id"];
	        this.header_ts = source["header_ts"];
	    }
	}
	export class SlackStatus {
	    workspace?: recorder.SlackWorkspace;
	    token_source?: string;
	    token_error?: string;
	    pin_reaction: string;
	    incident_id?: string;
	    channel?: SlackChannel;
	    policy?: string;
	    pending: number;
	    failed: number;
	    last_success?: string;
	
	    static createFrom(source: any = {}) {
	        return new SlackStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.workspace = this.convertValues(source["workspace"], recorder.SlackWorkspace);
	        this.token_source = source["token_source"];
	        this.token_error = source["token_error"];
	        this.pin_reaction = source["pin_reaction"];
	        this.incident_id = source["incident_id"];
	        this.channel = this.convertValues(source["channel"], SlackChannel);
	        this.policy = source["policy"];
	        this.pending = source["pending"];
	        this.failed = source["failed"];
	        this.last_success = source["last_success"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class State {
	    status: string;
	    pending: number;
	    failed: number;
	    // Go type: time
	    last_success: any;
	    message?: string;
	
	    static createFrom(source: any = {}) {
	        return new State(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.status = source["status"];
	        this.pending = source["pending"];
	        this.failed = source["failed"];
	        this.last_success = this.convertValues(source["last_success"], null);
	        this.message = source["message"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace version {
	
	export class Info {
	    version: string;
	    commit: string;
	    built: string;
	    text: string;
	
	    static createFrom(source: any = {}) {
	        return new Info(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = source["version"];
	        this.commit = source["commit"];
	        this.built = source["built"];
	        this.text = source["text"];
	    }
	}

}

