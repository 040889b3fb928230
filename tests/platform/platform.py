#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Minyin's reference platform: an Open311 GeoReport v2 server.

Written from the GeoReport v2 text and ../../PROTOCOL.md, independently of
the terminal's client, with the standard library only. It serves the
profile over real HTTPS with its own SQLite database, moves cases along,
and injects on request every fault the terminal's outbox must survive.
See README.md beside this file for the command line and the admin API.
"""

import os
import sys

# This file is called platform.py: drop its folder from the import path
# before anything imports the standard library's `platform` module.
if sys.path and os.path.abspath(sys.path[0] or ".") == os.path.dirname(os.path.abspath(__file__)):
    del sys.path[0]

import argparse
import copy
import gzip
import hashlib
import http.server
import json
import re
import secrets
import select
import signal
import socket
import socketserver
import sqlite3
import ssl
import struct
import threading
import time
import urllib.parse
import uuid
from datetime import datetime, timedelta, timezone
from email.utils import formatdate, parsedate_to_datetime

BASE = "/open311/v2/"
TZ = timezone(timedelta(hours=8))  # the platform's clock, like a city's
FAULT_KINDS = (
    "error", "http500", "http503", "http429", "hang", "slow", "drop",
    "drop_after_commit", "short_body", "captive", "malformed", "truncated",
    "wrong_shape",
)
STAGES = ("open", "in_progress", "closed")
UPDATE_STATUSES = (
    "OPEN", "CLOSED", "REOPEN", "FIXED", "IN_PROGRESS", "INVESTIGATING",
    "ACTION_SCHEDULED", "NOT_RESPONSIBLE", "DUPLICATE", "INTERNAL_REFERRAL",
    "UNABLE_TO_FIX", "NO_FURTHER_ACTION",
)
CREATE_FIELDS = {
    "api_key", "jurisdiction_id", "service_code", "lat", "long",
    "address_string", "address_id", "email", "device_id", "account_id",
    "first_name", "last_name", "phone", "description", "media_url",
}
UPDATE_FIELDS = {
    "api_key", "jurisdiction_id", "service_request_id", "update_id", "status",
    "description", "updated_datetime", "media_url", "first_name",
    "last_name", "email", "phone", "account_id",
}
ATTR_RE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")


# ---------------------------------------------------------------- catalogue

def _values(*pairs):
    return [{"key": k, "name": n} for k, n in pairs]


def _attr(code, desc, datatype="string", required=False, order=100, values=None, dt_desc=None):
    a = {
        "variable": True, "code": code, "datatype": datatype,
        "required": required, "datatype_description": dt_desc,
        "order": order, "description": desc,
    }
    if values is not None:
        a["values"] = values
    return a


def _common(*codes):
    """The attributes through which a terminal may send its extra facts."""
    table = {
        "client_uuid": _attr("client_uuid", "终端生成的诉求唯一标识（UUID），用于防止重复受理", order=101,
                             dt_desc="UUID"),
        "case_code": _attr("case_code", "终端临时编号（含校验位）", order=102),
        "urgency": _attr("urgency", "响应等级", "singlevaluelist", order=103,
                         values=_values(("immediate", "极急"), ("same_day", "急办"),
                                        ("routine", "常规"), ("dispute", "争议"))),
        "channel": _attr("channel", "受理渠道", "singlevaluelist", order=104,
                         values=_values(("kiosk", "自助终端"), ("assisted", "帮办代办"),
                                        ("field", "网格员现场"))),
        "helper_id": _attr("helper_id", "帮办人员工号", order=105),
        "consent": _attr("consent", "居民已同意代为提交并使用其联系方式", "singlevaluelist", order=106,
                         values=_values(("yes", "已同意"), ("no", "未同意"))),
    }
    return [copy.deepcopy(table[c]) for c in codes]


ALL_EXTRAS = ("client_uuid", "case_code", "urgency", "channel", "helper_id", "consent")

# (code, name, group, description, keywords, agency, attributes)
CATALOGUE = [
    ("lift", "电梯故障", "设施报修", "电梯停运、困人、异响、门不关等问题", "电梯,困人,停运,异响",
     "物业服务中心（电梯维保）",
     [_attr("lift_trapped", "是否有人被困", "singlevaluelist", True, 1,
            _values(("yes", "有人被困"), ("no", "无人被困"))),
      _attr("building", "楼栋及单元", order=2)] + _common(*ALL_EXTRAS)),
    ("water_power", "停水停电", "设施报修", "停水、停电、水压低、漏水、线路故障", "停水,停电,漏水,水压",
     "供水供电服务站", _common("client_uuid", "case_code", "urgency", "channel")),
    ("heating", "供暖问题", "设施报修", "暖气不热、漏水、供暖费争议", "暖气,供暖,不热",
     "热力公司客服中心",
     [_attr("room_temp", "室内温度（摄氏度）", "number", order=1)]
     + _common("client_uuid", "case_code", "urgency")),
    ("gas", "燃气问题", "公共安全", "燃气泄漏、燃气表故障、开通与停气", "燃气,煤气,漏气,气味",
     "燃气公司抢修中心",
     [_attr("gas_smell", "是否闻到燃气味", "singlevaluelist", order=1,
            values=_values(("yes", "闻到"), ("no", "没有")))]
     + _common("client_uuid", "case_code", "urgency", "channel")),
    ("sanitation", "环境卫生", "环境整治", "垃圾清运、楼道堆物、污水、病媒生物", "垃圾,卫生,堆物,蚊虫",
     "街道环卫所", _common("client_uuid", "urgency")),
    ("noise", "噪音扰民", "环境整治", "装修、商铺、广场舞、夜间施工等噪音", "噪音,扰民,装修,广场舞",
     "社区居委会",
     [_attr("noise_source", "噪音来源（可多选）", "multivaluelist", order=1,
            values=_values(("renovation", "装修施工"), ("shop", "商铺经营"),
                           ("square_dance", "广场舞"), ("pets", "宠物"),
                           ("traffic", "交通"), ("other", "其他"))),
      _attr("noise_time", "发生时段", "singlevaluelist", order=2,
            values=_values(("day", "白天"), ("night", "夜间（22:00—6:00）")))]
     + _common("urgency")),
    ("property", "物业管理", "物业服务", "物业服务质量、收费、公共设施维护", "物业,收费,维修,保安",
     "街道物业管理办公室", _common(*ALL_EXTRAS)),
    ("road_light", "道路与路灯", "市政设施", "路面破损、井盖缺失、路灯不亮", "道路,路灯,井盖,坑洼",
     "区市政管理所", []),
    ("parking", "停车管理", "市政设施", "乱停车、占用消防通道、车位纠纷", "停车,车位,消防通道",
     "交警中队与社区停车管理站", []),
    ("illegal_build", "违章搭建", "城市管理", "私搭乱建、占用公共空间、破坏承重结构", "违建,搭建,占用",
     "街道综合执法队", _common("client_uuid", "case_code")),
    ("neighbour", "邻里纠纷", "矛盾调解", "邻里之间的漏水、噪音、占道等纠纷调解", "纠纷,调解,邻居",
     "社区人民调解委员会", _common(*ALL_EXTRAS)),
    ("safety", "公共安全隐患", "公共安全", "消防隐患、高空坠物、电动车楼道充电", "消防,隐患,坠物,充电",
     "街道平安办", _common("client_uuid", "case_code", "urgency", "channel")),
    ("elderly", "养老服务", "民生服务", "助餐、助浴、助医、探访等居家养老服务", "养老,助餐,老人,探访",
     "社区养老服务驿站",
     [_attr("service_type", "所需服务", "singlevaluelist", order=1,
            values=_values(("meal", "助餐"), ("bath", "助浴"), ("medical", "助医"),
                           ("visit", "探访"), ("other", "其他")))]
     + _common(*ALL_EXTRAS)),
    ("other", "其他诉求", "其他", "以上类别以外的意见、建议和求助", "其他,建议,求助",
     "社区居委会", []),
    # Free-form questions of every datatype: a required datetime and a
    # required whole number in a range, an optional text with a length cap.
    ("leak", "漏水渗水", "设施报修", "楼上漏水、墙面渗水、水管破裂", "漏水,渗水,水管,滴水",
     "物业服务中心（维修）",
     [_attr("leak_since", "什么时候开始漏水", "datetime", True, 1, dt_desc="日期和时间"),
      _attr("leak_spots", "有几处在漏水", "number", True, 2, dt_desc="整数，1-20"),
      _attr("leak_where", "漏水的位置（可不填）", "text", False, 3, dt_desc="最多 30 字")]
     + _common(*ALL_EXTRAS)),
]


def default_catalogue():
    services, definitions, agencies = [], {}, {}
    for code, name, group, desc, keywords, agency, attrs in CATALOGUE:
        services.append({
            "service_code": code, "service_name": name, "description": desc,
            "metadata": bool(attrs), "type": "realtime", "keywords": keywords,
            "group": group,
        })
        definitions[code] = {"service_code": code, "attributes": attrs}
        agencies[code] = agency
    return {"services": services, "definitions": definitions, "agencies": agencies}


# ------------------------------------------------------------------ helpers

def now():
    return time.time()


def w3c(t):
    if t is None:
        return None
    return datetime.fromtimestamp(t, TZ).isoformat(timespec="seconds")


def parse_w3c(s):
    d = datetime.fromisoformat(s.strip().replace("Z", "+00:00"))
    if d.tzinfo is None:
        d = d.replace(tzinfo=TZ)
    return d.timestamp()


def open311_error(status, description, code=None):
    return Response(status, [{"code": code if code is not None else status,
                              "description": description}])


class Response:
    """An answer before it is written: status, JSON (or raw) body, headers."""

    def __init__(self, status, obj=None, raw=None, ctype="application/json; charset=utf-8", headers=None):
        self.status = status
        self.obj = obj
        self.headers = dict(headers or {})
        self.ctype = ctype
        if raw is not None:
            self.body = raw if isinstance(raw, bytes) else raw.encode("utf-8")
        elif obj is not None:
            self.body = json.dumps(obj, ensure_ascii=False).encode("utf-8")
        else:
            self.body = b""


class Refusal(Exception):
    def __init__(self, status, description):
        super().__init__(description)
        self.response = open311_error(status, description)


# ------------------------------------------------------------------- state

class Platform:
    def __init__(self, db_path, config):
        self.lock = threading.RLock()
        self.stop = threading.Event()
        self.startup_config = copy.deepcopy(config)
        self.config = copy.deepcopy(config)
        self.catalogue = default_catalogue()
        self.catalogue_mtime = int(now())
        self.faults = []
        self.fault_seq = 0
        self.stats = {}
        self.listener_stats = {}
        self.info = {}
        self.db = sqlite3.connect(db_path, check_same_thread=False, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript("""
        CREATE TABLE IF NOT EXISTS cases (
          seq INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          token TEXT UNIQUE,
          token_ready_at REAL,
          service_code TEXT NOT NULL,
          description TEXT,
          lat REAL, long REAL, address_string TEXT, address_id TEXT,
          email TEXT, device_id TEXT, account_id TEXT, first_name TEXT,
          last_name TEXT, phone TEXT, media_url TEXT,
          attributes TEXT NOT NULL, params TEXT NOT NULL,
          jurisdiction_id TEXT, idempotency_key TEXT,
          stage TEXT NOT NULL, status_notes TEXT, agency_responsible TEXT,
          service_notice TEXT, urgency TEXT,
          requested_at REAL NOT NULL, updated_at REAL NOT NULL,
          expected_at REAL, stage_at REAL NOT NULL);
        CREATE TABLE IF NOT EXISTS idempotency (
          path TEXT NOT NULL, key TEXT NOT NULL, status INTEGER NOT NULL,
          body BLOB NOT NULL, created_at REAL NOT NULL,
          PRIMARY KEY (path, key));
        CREATE TABLE IF NOT EXISTS updates (
          seq INTEGER PRIMARY KEY,
          update_id TEXT NOT NULL UNIQUE,
          service_request_id TEXT NOT NULL,
          status TEXT, description TEXT, updated_at REAL NOT NULL,
          origin TEXT NOT NULL, params TEXT, answer TEXT);
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
        """)

    # ---- transactions

    def tx(self):
        """Serialises every database use: one writer, as in SQLite anyway."""
        platform = self

        class _Tx:
            def __enter__(self_):
                platform.lock.acquire()
                platform.db.execute("BEGIN IMMEDIATE")
                return platform.db

            def __exit__(self_, etype, e, tb):
                try:
                    platform.db.execute("ROLLBACK" if etype else "COMMIT")
                finally:
                    platform.lock.release()
                return False
        return _Tx()

    def next_id(self, db):
        row = db.execute("SELECT value FROM meta WHERE key='next_number'").fetchone()
        n = int(row[0]) if row else int(self.config["id_start"])
        db.execute("INSERT OR REPLACE INTO meta VALUES ('next_number', ?)", (str(n + 1),))
        if self.config["ids"] == "string":
            return "SQ%s%06d" % (datetime.now(TZ).strftime("%Y%m%d"), n)
        return str(n)

    def json_id(self, text):
        if text is None:
            return None
        if self.config["ids"] == "numeric" and re.fullmatch(r"-?\d+", text):
            return int(text)
        return text

    def coord(self, x):
        if x is None:
            return None
        if self.config["float_noise"]:
            return struct.unpack("f", struct.pack("f", x))[0]
        return x

    def boolean(self, b):
        if self.config["string_booleans"]:
            return "true" if b else "false"
        return b

    # ---- counting and faults

    def count(self, listener, method, path):
        key = "%s %s" % (method, path)
        with self.lock:
            self.stats[key] = self.stats.get(key, 0) + 1
            self.listener_stats[listener] = self.listener_stats.get(listener, 0) + 1

    def add_fault(self, spec):
        kind = spec.get("kind")
        if kind not in FAULT_KINDS:
            raise ValueError("unknown fault kind %r; known: %s" % (kind, ", ".join(FAULT_KINDS)))
        fault = {
            "kind": kind,
            "count": spec.get("count"),          # None: until removed
            "skip": int(spec.get("skip", 0)),    # let this many matches through first
            "path": spec.get("path"),            # regex searched in the URL path
            "method": (spec.get("method") or "").upper() or None,
            "listener": spec.get("listener"),
            "commit": bool(spec.get("commit", kind in ("drop_after_commit", "slow", "truncated", "short_body"))),
            "status": int(spec.get("status", {"http500": 500, "http503": 503, "http429": 429}.get(kind, 500))),
            "retry_after": spec.get("retry_after", 1 if kind in ("http503", "http429") else None),
            "body": spec.get("body", "open311"),  # for kind=error: open311|json|html|text|empty
            "interval": float(spec.get("interval", 0.1)),
            "chunk": max(1, int(spec.get("chunk", 1))),
            "hang_seconds": float(spec.get("hang_seconds", 600)),
            "fired": 0,
        }
        if fault["count"] is not None:
            fault["count"] = int(fault["count"])
        if fault["path"]:
            re.compile(fault["path"])
        with self.lock:
            self.fault_seq += 1
            fault["id"] = self.fault_seq
            self.faults.append(fault)
            return dict(fault)

    def take_fault(self, listener, method, path):
        with self.lock:
            for f in self.faults:
                if f["method"] and f["method"] != method:
                    continue
                if f["listener"] and f["listener"] != listener:
                    continue
                if f["path"] and not re.search(f["path"], path):
                    continue
                if f["skip"] > 0:
                    f["skip"] -= 1
                    continue
                f["fired"] += 1
                if f["count"] is not None:
                    f["count"] -= 1
                    if f["count"] <= 0:
                        self.faults.remove(f)
                return dict(f)
        return None

    # ---- cases

    def case_json(self, row, full=False):
        stage = row["stage"]
        d = {
            "service_request_id": self.json_id(row["id"]),
            "status": "closed" if stage == "closed" else "open",
            "status_notes": row["status_notes"],
            "service_name": self.service_name(row["service_code"]),
            "service_code": row["service_code"],
            "description": row["description"],
            "agency_responsible": row["agency_responsible"],
            "service_notice": row["service_notice"],
            "requested_datetime": w3c(row["requested_at"]),
            "updated_datetime": w3c(row["updated_at"]),
            "expected_datetime": w3c(row["expected_at"]),
            "address": row["address_string"],
            "address_id": row["address_id"],
            "zipcode": None,
            "lat": self.coord(row["lat"]),
            "long": self.coord(row["long"]),
            "media_url": row["media_url"],
        }
        if row["token"]:
            d["token"] = row["token"]
        if full:
            d.update({
                "stage": stage,
                "token": row["token"],
                "attributes": json.loads(row["attributes"]),
                "params": json.loads(row["params"]),
                "first_name": row["first_name"], "last_name": row["last_name"],
                "phone": row["phone"], "email": row["email"],
                "device_id": row["device_id"], "account_id": row["account_id"],
                "jurisdiction_id": row["jurisdiction_id"],
                "idempotency_key": row["idempotency_key"],
                "urgency": row["urgency"],
                "address_string": row["address_string"],
                "lat": row["lat"], "long": row["long"],
            })
        return d

    def service_name(self, code):
        for s in self.catalogue["services"]:
            if s["service_code"] == code:
                return s["service_name"]
        return None

    def set_stage(self, db, row, stage, notes=None, agency=None, expected=None, origin="platform"):
        t = now()
        if stage not in STAGES:
            raise ValueError("status must be one of %s" % ", ".join(STAGES))
        agency = agency or row["agency_responsible"] or self.catalogue["agencies"].get(row["service_code"], "社区居委会")
        if stage == "open":
            notes = notes or "已受理，正在分派。"
            expected_at = row["expected_at"]
        elif stage == "in_progress":
            hours = {"immediate": 2, "same_day": 8, "routine": 72, "dispute": 168}.get(row["urgency"] or "routine", 72)
            expected_at = parse_w3c(expected) if expected else t + hours * 3600
            notes = notes or "处理中：已转交%s，预计%s前办结。" % (
                agency, datetime.fromtimestamp(expected_at, TZ).strftime("%m月%d日 %H:%M"))
        else:
            expected_at = parse_w3c(expected) if expected else row["expected_at"]
            notes = notes or "已办结：问题已处理，欢迎对办理结果进行评价。"
        db.execute("UPDATE cases SET stage=?, status_notes=?, agency_responsible=?, expected_at=?,"
                   " updated_at=?, stage_at=? WHERE seq=?",
                   (stage, notes, agency, expected_at, t, t, row["seq"]))
        if origin == "platform":
            db.execute("INSERT INTO updates (update_id, service_request_id, status, description,"
                       " updated_at, origin) VALUES (?,?,?,?,?,?)",
                       ("P%s" % uuid.uuid4().hex[:16], row["id"],
                        "closed" if stage == "closed" else "open", notes, t, "platform"))

    def advance_due(self):
        p = self.config.get("progress_seconds")
        if not p:
            return
        t = now()
        with self.tx() as db:
            for row in db.execute("SELECT * FROM cases WHERE stage != 'closed' AND stage_at <= ?",
                                  (t - float(p),)).fetchall():
                self.set_stage(db, row, "in_progress" if row["stage"] == "open" else "closed")

    def ticker(self):
        while not self.stop.wait(0.2):
            try:
                self.advance_due()
            except Exception as e:  # the timer must outlive one bad row
                sys.stderr.write("platform: timer: %s\n" % e)

    def find_case(self, db, ident):
        return db.execute("SELECT * FROM cases WHERE id=?", (str(ident),)).fetchone()

    def reset(self, restore_config=False):
        with self.tx() as db:
            for t in ("cases", "idempotency", "updates", "meta"):
                db.execute("DELETE FROM %s" % t)
        with self.lock:
            self.faults.clear()
            self.stats.clear()
            self.listener_stats.clear()
            if restore_config:
                self.config = copy.deepcopy(self.startup_config)
                self.catalogue = default_catalogue()
                self.catalogue_mtime = int(now())

    # ---- Open311 calls

    def check_jurisdiction(self, params):
        policy = self.config["jurisdiction_policy"]
        given = params.get("jurisdiction_id")
        if policy == "rejected" and given is not None:
            raise Refusal(400, "jurisdiction_id is not expected by this platform; do not send it.")
        if policy == "required" and not given:
            raise Refusal(400, "jurisdiction_id is required by this platform.")
        if given is not None and self.config["jurisdiction_id"] and given != self.config["jurisdiction_id"]:
            raise Refusal(404, "jurisdiction_id %r is not served here." % given)

    def check_strict(self, params, allowed, definition=None):
        if not self.config["strict"]:
            return
        declared = {a["code"] for a in (definition or {}).get("attributes", [])}
        for name in params:
            m = ATTR_RE.match(name)
            if m and definition is not None:
                if m.group(1) not in declared:
                    raise Refusal(400, "attribute[%s] is not declared by service %s." %
                                  (m.group(1), definition["service_code"]))
            elif name not in allowed:
                raise Refusal(400, "Unknown parameter %r." % name)

    def check_api_key(self, params):
        keys = self.config["api_keys"]
        if keys and params.get("api_key") not in keys:
            raise Refusal(403, "Invalid or missing api_key.")

    def unknown_id(self, what):
        mode = self.config["unknown_id"]
        if mode == "empty":
            return Response(200, [])
        if mode == "500":
            return open311_error(500, "Internal error while looking up %s." % what)
        return open311_error(404, "%s was not found." % what)

    def services(self, headers):
        body = json.dumps([self.booleanise_service(s) for s in self.catalogue["services"]],
                          ensure_ascii=False).encode("utf-8")
        return self.conditional(headers, body, self.catalogue_mtime)

    def booleanise_service(self, s):
        s = dict(s)
        s["metadata"] = self.boolean(s["metadata"])
        return s

    def definition(self, headers, code):
        d = self.catalogue["definitions"].get(code)
        if d is None:
            raise Refusal(404, "Service %s does not exist." % code)
        d = copy.deepcopy(d)
        for a in d["attributes"]:
            a["variable"] = self.boolean(a["variable"])
            a["required"] = self.boolean(a["required"])
        body = json.dumps(d, ensure_ascii=False).encode("utf-8")
        return self.conditional(headers, body, self.catalogue_mtime)

    def conditional(self, headers, body, mtime):
        etag = 'W/"%s"' % hashlib.sha256(body).hexdigest()[:32]
        h = {"ETag": etag, "Last-Modified": formatdate(mtime, usegmt=True),
             "Cache-Control": "no-cache"}
        inm = headers.get("If-None-Match")
        ims = headers.get("If-Modified-Since")
        if inm is not None:
            tags = [t.strip() for t in inm.split(",")]
            bare = etag[2:]
            if "*" in tags or any(t == etag or t == bare or t[2:] == bare for t in tags):
                return Response(304, headers=h)
        elif ims is not None:
            try:
                if parsedate_to_datetime(ims).timestamp() >= mtime:
                    return Response(304, headers=h)
            except (TypeError, ValueError):
                pass
        return Response(200, raw=body, headers=h)

    def idempotent(self, path, key, work):
        """Runs @work in one transaction with the record of its answer, so a
        case and the answer to its repeat are committed together."""
        with self.tx() as db:
            if key:
                row = db.execute("SELECT status, body FROM idempotency WHERE path=? AND key=?",
                                 (path, key)).fetchone()
                if row:
                    return Response(row["status"], raw=row["body"],
                                    headers={"Idempotent-Replayed": "true"})
            resp = work(db)
            if key and 200 <= resp.status < 300:
                db.execute("INSERT INTO idempotency VALUES (?,?,?,?,?)",
                           (path, key, resp.status, resp.body, now()))
            return resp

    def create(self, params, pairs, idem_key, path):
        self.check_jurisdiction(params)
        self.check_api_key(params)
        code = params.get("service_code")
        if not code:
            raise Refusal(400, "service_code is required.")
        definition = self.catalogue["definitions"].get(code)
        if definition is None:
            raise Refusal(400, "service_code %s does not exist." % code)
        self.check_strict(params, CREATE_FIELDS, definition)
        lat = lon = None
        if params.get("lat") or params.get("long"):
            try:
                lat, lon = float(params["lat"]), float(params["long"])
            except (KeyError, ValueError):
                raise Refusal(400, "lat and long must both be decimal degrees.")
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise Refusal(400, "lat/long are outside the globe.")
        if lat is None and not params.get("address_string") and not params.get("address_id"):
            raise Refusal(400, "A location is required: lat and long, address_string or address_id.")
        description = params.get("description") or ""
        if len(description) > 4000:
            raise Refusal(400, "description is longer than 4000 characters (%d)." % len(description))
        attrs = {}
        for name, value in pairs:
            m = ATTR_RE.match(name)
            if m:
                if m.group(2):
                    attrs.setdefault(m.group(1), []).append(value)
                else:
                    attrs[m.group(1)] = value
        for a in definition["attributes"]:
            v = attrs.get(a["code"])
            if a["required"] and (v is None or v == "" or v == []):
                raise Refusal(400, "attribute[%s] (%s) is required for service %s." %
                              (a["code"], a["description"], code))
            if v is None or not self.config["strict"]:
                continue
            keys = [x["key"] for x in a.get("values", [])]
            vals = v if isinstance(v, list) else [v]
            if a["datatype"] in ("singlevaluelist", "multivaluelist") and any(x not in keys for x in vals):
                raise Refusal(400, "attribute[%s] must be one of %s." % (a["code"], ", ".join(keys)))
            if a["datatype"] == "number":
                try:
                    float(vals[0])
                except ValueError:
                    raise Refusal(400, "attribute[%s] must be a number." % a["code"])
            if a["datatype"] == "datetime":
                try:
                    when = datetime.fromisoformat(vals[0].replace("Z", "+00:00"))
                except ValueError:
                    when = None
                if when is None or when.tzinfo is None:
                    raise Refusal(400, "attribute[%s] must be an ISO 8601 date and time with an "
                                  "offset." % a["code"])
        urgency = attrs.get("urgency") if isinstance(attrs.get("urgency"), str) else None
        token_mode = self.config["token_mode"]

        def work(db):
            t = now()
            ident = self.next_id(db)
            token = str(uuid.uuid4()) if token_mode else None
            notice = "诉求已受理，请保存编号以便查询进度。"
            agency = self.catalogue["agencies"].get(code, "社区居委会")
            db.execute(
                "INSERT INTO cases (id, token, token_ready_at, service_code, description, lat, long,"
                " address_string, address_id, email, device_id, account_id, first_name, last_name,"
                " phone, media_url, attributes, params, jurisdiction_id, idempotency_key, stage,"
                " status_notes, agency_responsible, service_notice, urgency, requested_at,"
                " updated_at, expected_at, stage_at) VALUES"
                " (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (ident, token, t + float(self.config["token_delay"]) if token else None, code,
                 description, lat, lon, params.get("address_string"), params.get("address_id"),
                 params.get("email"), params.get("device_id"), params.get("account_id"),
                 params.get("first_name"), params.get("last_name"), params.get("phone"),
                 params.get("media_url"), json.dumps(attrs, ensure_ascii=False),
                 json.dumps(pairs, ensure_ascii=False), params.get("jurisdiction_id"), idem_key,
                 "open", "已受理，正在分派。", agency, notice, urgency, t, t, None, t))
            if token:
                answer = {"token": token, "service_notice": notice}
            else:
                answer = {"service_request_id": self.json_id(ident), "service_notice": notice,
                          "account_id": params.get("account_id")}
            return Response(200, [answer])
        return self.idempotent(path, idem_key, work)

    def token(self, params, token):
        self.check_jurisdiction(params)
        self.check_strict(params, {"jurisdiction_id", "api_key"})
        with self.lock:
            row = self.db.execute("SELECT * FROM cases WHERE token=?", (token,)).fetchone()
        if row is None:
            return self.unknown_id("Token %s" % token)
        if row["token_ready_at"] and row["token_ready_at"] > now():
            return Response(200, [{"token": token}])
        return Response(200, [{"service_request_id": self.json_id(row["id"]), "token": token}])

    def get_requests(self, params, single=None):
        self.check_jurisdiction(params)
        allowed = {"jurisdiction_id", "api_key", "service_request_id", "service_code",
                   "start_date", "end_date", "status"}
        if single is not None:
            allowed = {"jurisdiction_id", "api_key"}
        for name in params:
            m = ATTR_RE.match(name)
            if self.config["strict"] and (name not in allowed and not (m and single is None)):
                raise Refusal(400, "Unknown parameter %r." % name)
        with self.lock:
            if single is not None:
                row = self.find_case(self.db, single)
                if row is None:
                    return self.unknown_id("Service request %s" % single)
                return Response(200, [self.case_json(row)])
            ids = params.get("service_request_id")
            if ids is not None:
                wanted = [i.strip() for i in ids.split(",") if i.strip()]
                if len(wanted) > 1000:
                    raise Refusal(400, "At most 1000 service_request_id values per call.")
                out = []
                for i in wanted:
                    row = self.find_case(self.db, i)
                    if row is not None:
                        out.append(self.case_json(row))
                return Response(200, out)
            sql, args = "SELECT * FROM cases WHERE 1=1", []
            try:
                start = parse_w3c(params["start_date"]) if params.get("start_date") else now() - 90 * 86400
                end = parse_w3c(params["end_date"]) if params.get("end_date") else None
            except ValueError:
                raise Refusal(400, "start_date and end_date must be w3c datetimes.")
            sql += " AND requested_at >= ?"
            args.append(start)
            if end is not None:
                sql += " AND requested_at <= ?"
                args.append(end)
            if params.get("service_code"):
                codes = params["service_code"].split(",")
                sql += " AND service_code IN (%s)" % ",".join("?" * len(codes))
                args += codes
            if params.get("status"):
                st = [s.strip() for s in params["status"].split(",")]
                if any(s not in ("open", "closed") for s in st):
                    raise Refusal(400, "status must be open or closed.")
                if st == ["open"]:
                    sql += " AND stage != 'closed'"
                elif st == ["closed"]:
                    sql += " AND stage = 'closed'"
            rows = self.db.execute(sql + " ORDER BY seq DESC LIMIT 1000", args).fetchall()
        # Extension: attribute[CODE]=VALUE finds a case by what the client sent,
        # e.g. its client_uuid, when a first attempt is in doubt.
        filters = {ATTR_RE.match(n).group(1): v for n, v in params.items() if ATTR_RE.match(n)}
        out = []
        for row in rows:
            attrs = json.loads(row["attributes"])
            if all(attrs.get(k) == v or (isinstance(attrs.get(k), list) and v in attrs[k])
                   for k, v in filters.items()):
                out.append(self.case_json(row))
        return Response(200, out)

    def post_update(self, params, idem_key, path):
        if not self.config["updates"]:
            raise Refusal(404, "This platform does not offer servicerequestupdates.")
        self.check_jurisdiction(params)
        self.check_api_key(params)
        self.check_strict(params, UPDATE_FIELDS)
        for f in ("service_request_id", "update_id", "status"):
            if not params.get(f):
                raise Refusal(400, "%s is required." % f)
        status = params["status"].upper()
        if status not in UPDATE_STATUSES:
            raise Refusal(400, "status %s is not one of %s." % (params["status"], ", ".join(UPDATE_STATUSES)))
        if len(params.get("description") or "") > 4000:
            raise Refusal(400, "description is longer than 4000 characters.")
        try:
            when = parse_w3c(params["updated_datetime"]) if params.get("updated_datetime") else now()
        except ValueError:
            raise Refusal(400, "updated_datetime must be a w3c datetime.")

        def work(db):
            prior = db.execute("SELECT answer FROM updates WHERE update_id=?",
                               (params["update_id"],)).fetchone()
            if prior is not None:  # update_id is unique: a repeat is answered, not applied
                return Response(200, raw=prior["answer"], headers={"Idempotent-Replayed": "true"})
            row = self.find_case(db, params["service_request_id"])
            if row is None:
                return open311_error(404, "Service request %s was not found." % params["service_request_id"])
            answer = json.dumps([{"update_id": params["update_id"],
                                  "service_request_id": self.json_id(row["id"]),
                                  "status": status, "updated_datetime": w3c(when)}],
                                ensure_ascii=False)
            db.execute("INSERT INTO updates (update_id, service_request_id, status, description,"
                       " updated_at, origin, params, answer) VALUES (?,?,?,?,?,?,?,?)",
                       (params["update_id"], row["id"], status, params.get("description"), when,
                        "client", json.dumps(params, ensure_ascii=False), answer))
            if status == "REOPEN":
                self.set_stage(db, row, "open", notes="二次办理：已重新受理，将重新派单。", origin="client")
            elif status in ("CLOSED", "FIXED") and row["stage"] != "closed":
                self.set_stage(db, row, "closed", origin="client")
            return Response(200, raw=answer)
        return self.idempotent(path, idem_key, work)

    def get_updates(self, params):
        if not self.config["updates"]:
            raise Refusal(404, "This platform does not offer servicerequestupdates.")
        self.check_jurisdiction(params)
        self.check_strict(params, {"jurisdiction_id", "api_key", "start_date", "end_date",
                                   "service_request_id"})
        sql, args = "SELECT * FROM updates WHERE 1=1", []
        try:
            if params.get("start_date"):
                sql += " AND updated_at >= ?"
                args.append(parse_w3c(params["start_date"]))
            if params.get("end_date"):
                sql += " AND updated_at <= ?"
                args.append(parse_w3c(params["end_date"]))
        except ValueError:
            raise Refusal(400, "start_date and end_date must be w3c datetimes.")
        if params.get("service_request_id"):
            ids = params["service_request_id"].split(",")
            sql += " AND service_request_id IN (%s)" % ",".join("?" * len(ids))
            args += ids
        with self.lock:
            rows = self.db.execute(sql + " ORDER BY seq", args).fetchall()
        return Response(200, [{"update_id": r["update_id"],
                               "service_request_id": self.json_id(r["service_request_id"]),
                               "status": r["status"], "description": r["description"],
                               "updated_datetime": w3c(r["updated_at"]), "media_url": None}
                              for r in rows])


# --------------------------------------------------------------- HTTP side

def nodelay(sock):
    """Headers and body go out as separate writes; without this, Nagle and
    the peer's delayed ACK add 40 ms to every answer on a reused connection."""
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except OSError:
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # hung and slow answers must not delay shutdown
    allow_reuse_address = True
    request_queue_size = 128

    def finish_request(self, request, client_address):
        nodelay(request)
        super().finish_request(request, client_address)

    def handle_error(self, request, client_address):
        e = sys.exc_info()[1]
        if isinstance(e, (ssl.SSLError, ConnectionError, TimeoutError, socket.timeout, BrokenPipeError)):
            return  # a client refusing our certificate, or going away: expected here
        super().handle_error(request, client_address)


class TLSServer(QuietServer):
    """Handshakes in the connection's own thread, so a stalled client never
    blocks accept() for the others."""

    def __init__(self, addr, handler, context):
        self.context = context
        super().__init__(addr, handler)

    def finish_request(self, request, client_address):
        nodelay(request)
        request.settimeout(10)
        tls = self.context.wrap_socket(request, server_side=True)
        self.RequestHandlerClass(tls, client_address, self)


class ApiHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "MinyinReferencePlatform/1.0"
    timeout = 30
    platform = None  # set per listener class
    listener = "main"

    def log_message(self, fmt, *args):
        if self.platform.config["log"]:
            sys.stderr.write("[%s] %s %s\n" % (self.listener, self.address_string(), fmt % args))

    def do_GET(self):
        self.dispatch("GET")

    def do_POST(self):
        self.dispatch("POST")

    def do_PUT(self):
        self.dispatch("PUT")

    def do_DELETE(self):
        self.dispatch("DELETE")

    def read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            parts = []
            while True:
                size = int(self.rfile.readline(65537).split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline(65537)
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def dispatch(self, method):
        p = self.platform
        url = urllib.parse.urlsplit(self.path)
        path = url.path
        p.count(self.listener, method, path)
        try:
            body = self.read_body()
        except (OSError, ValueError):
            self.close_connection = True
            return
        fault = p.take_fault(self.listener, method, path)
        route = lambda: self.route(method, path, url.query, body)
        if fault is None:
            self.send(route())
        else:
            self.apply_fault(fault, route)

    def route(self, method, path, query, body):
        p = self.platform
        try:
            if not path.startswith(BASE):
                return open311_error(404, "Nothing here; the Open311 base is %s." % BASE)
            rel = path[len(BASE):]
            qs = urllib.parse.parse_qsl(query, keep_blank_values=True)
            params = dict(qs)
            if method == "GET":
                if rel == "services.json":
                    p.check_jurisdiction(params)
                    p.check_strict(params, {"jurisdiction_id", "api_key"})
                    return p.services(self.headers)
                m = re.fullmatch(r"services/([^/]+)\.json", rel)
                if m:
                    p.check_jurisdiction(params)
                    p.check_strict(params, {"jurisdiction_id", "api_key"})
                    return p.definition(self.headers, urllib.parse.unquote(m.group(1)))
                if rel == "requests.json":
                    return p.get_requests(params)
                m = re.fullmatch(r"requests/([^/]+)\.json", rel)
                if m:
                    return p.get_requests(params, single=urllib.parse.unquote(m.group(1)))
                m = re.fullmatch(r"tokens/([^/]+)\.json", rel)
                if m:
                    return p.token(params, urllib.parse.unquote(m.group(1)))
                if rel == "servicerequestupdates.json":
                    return p.get_updates(params)
            elif method == "POST" and rel in ("requests.json", "servicerequestupdates.json"):
                ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
                if ctype != "application/x-www-form-urlencoded":
                    raise Refusal(400, "POST bodies must be application/x-www-form-urlencoded.")
                try:
                    pairs = urllib.parse.parse_qsl(body.decode("utf-8"), keep_blank_values=True,
                                                   strict_parsing=bool(body), errors="strict")
                except (UnicodeDecodeError, ValueError):
                    raise Refusal(400, "The body is not well-formed UTF-8 form data.")
                form = dict(pairs)
                key = self.headers.get("Idempotency-Key")
                if rel == "requests.json":
                    return p.create(form, pairs, key, path)
                return p.post_update(form, key, path)
            elif rel in ("services.json", "requests.json", "servicerequestupdates.json") or \
                    re.fullmatch(r"(services|requests|tokens)/[^/]+\.json", rel):
                return open311_error(405, "Method %s is not allowed here." % method)
            return open311_error(404, "No such resource: %s (paths end in .json)." % path)
        except Refusal as r:
            return r.response

    def send(self, resp, body=None, length=None):
        """Writes a whole answer; gzip when the client accepts it."""
        data = resp.body if body is None else body
        headers = dict(resp.headers)
        if (body is None and resp.status != 304 and len(data) > 512 and
                "gzip" in (self.headers.get("Accept-Encoding") or "") and p_gzip(self.platform)):
            data = gzip.compress(data, 6)
            headers["Content-Encoding"] = "gzip"
            headers["Vary"] = "Accept-Encoding"
        self.send_response(resp.status)
        if resp.status != 304:
            self.send_header("Content-Type", resp.ctype)
        for k, v in headers.items():
            self.send_header(k, str(v))
        self.send_header("Content-Length", str(len(data) if length is None else length))
        self.end_headers()
        if resp.status != 304:
            self.wfile.write(data)

    def drop(self):
        self.close_connection = True
        try:
            self.wfile.flush()
        except OSError:
            pass
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def wait_until_client_leaves(self, seconds):
        deadline = now() + seconds
        sock = self.connection
        while now() < deadline and not self.platform.stop.is_set():
            try:
                r, _, _ = select.select([sock], [], [], 0.2)
                if r and not sock.recv(1):
                    break
            except (OSError, ValueError, ssl.SSLError):
                break
        self.drop()

    def apply_fault(self, f, route):
        kind = f["kind"]
        if kind == "drop":
            return self.drop()
        resp = route() if f["commit"] else None
        if kind == "drop_after_commit":
            return self.drop()
        if kind == "hang":
            return self.wait_until_client_leaves(f["hang_seconds"])
        if kind in ("error", "http500", "http503", "http429"):
            status = f["status"]
            headers = {}
            if f["retry_after"] is not None:
                headers["Retry-After"] = f["retry_after"]
            bodies = {
                "open311": Response(status, [{"code": status, "description": "Injected fault: %s." % kind}],
                                    headers=headers),
                "json": Response(status, {"error": {"message": "injected fault", "status": status}},
                                 headers=headers),
                "html": Response(status, raw="<html><body><h1>%d</h1><p>Bad gateway</p></body></html>" % status,
                                 ctype="text/html; charset=utf-8", headers=headers),
                "text": Response(status, raw="Service temporarily unavailable\n",
                                 ctype="text/plain", headers=headers),
                "empty": Response(status, raw=b"", headers=headers),
            }
            return self.send(bodies.get(f["body"], bodies["open311"]))
        if kind == "captive":
            page = ("<!DOCTYPE html><html><head><title>Wi-Fi 登录</title></head><body>"
                    "<h1>欢迎使用社区免费 Wi-Fi</h1><p>请先登录后上网。</p>"
                    "<form action='/login'><input name='phone'></form></body></html>")
            return self.send(Response(200, raw=page, ctype="text/html; charset=utf-8"))
        if kind == "malformed":
            return self.send(Response(200, raw='[{"service_request_id": 17 "status": open,}'))
        if kind == "wrong_shape":
            if resp is not None and isinstance(resp.obj, list) and resp.obj:
                obj = resp.obj[0]
            else:
                obj = {"service_request_id": "wrong-shape-0", "status": "ok"}
            return self.send(Response(200, obj))
        if resp is None:
            resp = route()
        if kind == "truncated":
            return self.send(resp, body=resp.body[:max(1, len(resp.body) // 2)])
        if kind == "short_body":
            self.send(resp, body=resp.body[:max(1, len(resp.body) // 2)], length=len(resp.body))
            return self.drop()
        if kind == "slow":
            self.send_response(resp.status)
            self.send_header("Content-Type", resp.ctype)
            for k, v in resp.headers.items():
                self.send_header(k, str(v))
            self.send_header("Content-Length", str(len(resp.body)))
            self.end_headers()
            try:
                for i in range(0, len(resp.body), f["chunk"]):
                    self.wfile.write(resp.body[i:i + f["chunk"]])
                    self.wfile.flush()
                    if self.platform.stop.wait(f["interval"]):
                        break
            except OSError:
                self.close_connection = True
            return
        raise AssertionError(kind)


def p_gzip(platform):
    return platform.config["gzip"]


# ---------------------------------------------------------------- admin API

CONFIG_KEYS = {
    "token_mode": bool, "strict": bool, "ids": str, "id_start": int, "api_keys": list,
    "jurisdiction_id": (str, type(None)), "jurisdiction_policy": str,
    "progress_seconds": (int, float, type(None)), "token_delay": (int, float),
    "updates": bool, "unknown_id": str, "float_noise": bool, "string_booleans": bool,
    "gzip": bool, "log": bool,
}


def apply_config(cfg, changes):
    for k, v in changes.items():
        if k not in CONFIG_KEYS:
            raise ValueError("unknown config key %r; known: %s" % (k, ", ".join(sorted(CONFIG_KEYS))))
        if not isinstance(v, CONFIG_KEYS[k]) or (CONFIG_KEYS[k] is int and isinstance(v, bool)):
            raise ValueError("config key %r has the wrong type" % k)
    merged = dict(cfg, **changes)
    if merged["ids"] not in ("numeric", "string", "numeric_string"):
        raise ValueError("ids must be numeric, string or numeric_string")
    if merged["jurisdiction_policy"] not in ("optional", "required", "rejected"):
        raise ValueError("jurisdiction_policy must be optional, required or rejected")
    if merged["unknown_id"] not in ("404", "500", "empty"):
        raise ValueError("unknown_id must be 404, 500 or empty")
    cfg.update(changes)
    return cfg


class AdminHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "MinyinReferencePlatformAdmin/1.0"
    timeout = 30
    platform = None

    def log_message(self, fmt, *args):
        if self.platform.config["log"]:
            sys.stderr.write("[admin] %s\n" % (fmt % args))

    def reply(self, status, obj):
        data = json.dumps(obj, ensure_ascii=False, indent=1).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self.dispatch("GET")

    def do_POST(self):
        self.dispatch("POST")

    def do_DELETE(self):
        self.dispatch("DELETE")

    def dispatch(self, method):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        try:
            body = json.loads(raw) if raw.strip() else {}
            status, obj = self.route(method, urllib.parse.urlsplit(self.path).path.rstrip("/") or "/", body)
        except (ValueError, KeyError, TypeError, re.error) as e:
            status, obj = 400, {"error": str(e)}
        self.reply(status, obj)

    def route(self, method, path, body):
        p = self.platform
        if method == "GET" and path in ("/", "/health"):
            return 200, {"ok": True}
        if method == "GET" and path == "/info":
            return 200, p.info
        if path == "/config":
            if method == "POST":
                with p.lock:
                    apply_config(p.config, body)
            with p.lock:
                return 200, dict(p.config)
        if method == "POST" and path == "/reset":
            p.reset(restore_config=bool(body.get("config")))
            return 200, {"ok": True}
        if method == "POST" and path == "/shutdown":
            threading.Thread(target=lambda: os.kill(os.getpid(), signal.SIGTERM), daemon=True).start()
            return 200, {"ok": True}
        if path == "/cases" and method == "GET":
            with p.lock:
                rows = p.db.execute("SELECT * FROM cases ORDER BY seq").fetchall()
                cases = [p.case_json(r, full=True) for r in rows]
            return 200, {"count": len(cases), "cases": cases}
        m = re.fullmatch(r"/cases/([^/]+)(/status|/advance)?", path)
        if m:
            ident = urllib.parse.unquote(m.group(1))
            with p.tx() as db:
                row = p.find_case(db, ident)
                if row is None:
                    return 404, {"error": "no case %s" % ident}
                if method == "POST" and m.group(2) == "/status":
                    p.set_stage(db, row, body["status"], body.get("status_notes"),
                                body.get("agency_responsible"), body.get("expected_datetime"))
                elif method == "POST" and m.group(2) == "/advance":
                    if row["stage"] != "closed":
                        p.set_stage(db, row, STAGES[STAGES.index(row["stage"]) + 1])
                elif method != "GET" or m.group(2):
                    return 405, {"error": "use GET /cases/ID, POST /cases/ID/status or /advance"}
                row = p.find_case(db, ident)
                return 200, p.case_json(row, full=True)
        if method == "POST" and path == "/advance":
            n = 0
            with p.tx() as db:
                for row in db.execute("SELECT * FROM cases WHERE stage != 'closed'").fetchall():
                    p.set_stage(db, row, STAGES[STAGES.index(row["stage"]) + 1])
                    n += 1
            return 200, {"advanced": n}
        if path == "/updates" and method == "GET":
            with p.lock:
                rows = p.db.execute("SELECT * FROM updates ORDER BY seq").fetchall()
            ups = [{k: r[k] for k in r.keys()} for r in rows]
            return 200, {"count": len(ups), "updates": ups}
        if path == "/faults":
            if method == "POST":
                return 201, p.add_fault(body)
            if method == "DELETE":
                with p.lock:
                    p.faults.clear()
                return 200, {"faults": []}
            with p.lock:
                return 200, {"faults": [dict(f) for f in p.faults]}
        if path == "/faults/clear" and method == "POST":
            with p.lock:
                p.faults.clear()
            return 200, {"faults": []}
        m = re.fullmatch(r"/faults/(\d+)", path)
        if m and method == "DELETE":
            with p.lock:
                before = len(p.faults)
                p.faults[:] = [f for f in p.faults if f["id"] != int(m.group(1))]
                return (200 if len(p.faults) < before else 404), {"faults": [dict(f) for f in p.faults]}
        if path == "/stats":
            if method == "POST":  # reset the counters
                with p.lock:
                    p.stats.clear()
                    p.listener_stats.clear()
            with p.lock:
                return 200, {"total": sum(p.stats.values()), "paths": dict(p.stats),
                             "listeners": dict(p.listener_stats)}
        if path == "/stats/reset" and method == "POST":
            with p.lock:
                p.stats.clear()
                p.listener_stats.clear()
            return 200, {"total": 0, "paths": {}, "listeners": {}}
        if path == "/catalogue" and method == "POST":
            # Replace or extend the catalogue, so a client's conditional refresh
            # sees a new ETag: {"services": [...], "definitions": {code: {...}}}
            with p.lock:
                cat = copy.deepcopy(p.catalogue)
                if "services" in body:
                    cat["services"] = body["services"]
                    for s in body["services"]:
                        cat["definitions"].setdefault(s["service_code"],
                                                      {"service_code": s["service_code"], "attributes": []})
                for code, d in body.get("definitions", {}).items():
                    cat["definitions"][code] = d
                p.catalogue = cat
                p.catalogue_mtime = max(int(now()), p.catalogue_mtime + 1)
            return 200, {"ok": True, "last_modified": formatdate(p.catalogue_mtime, usegmt=True)}
        return 404, {"error": "no admin endpoint %s %s; see tests/platform/README.md" % (method, path)}


# ------------------------------------------------------------------- main

def make_handler(base, platform, listener):
    return type(base.__name__ + "_" + listener, (base,), {"platform": platform, "listener": listener})


def process_alive(pid):
    """A dead process nobody has reaped yet (a zombie) counts as gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, IndexError):
        return False
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass
        return True


def main(argv=None):
    ap = argparse.ArgumentParser(description="Minyin reference platform (Open311 GeoReport v2 over HTTPS).")
    ap.add_argument("--db", required=True, help="SQLite file holding the platform's cases")
    ap.add_argument("--certs", required=True, help="directory made by make-ca.sh")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0, help="HTTPS port of the API (0: any free port)")
    ap.add_argument("--admin-port", type=int, default=0, help="plain HTTP admin port on loopback (0: any)")
    ap.add_argument("--token-mode", action="store_true", help="answer creates with a token")
    ap.add_argument("--token-delay", type=float, default=0.0,
                    help="seconds before a token resolves to a service_request_id")
    ap.add_argument("--strict", action="store_true", help="unknown parameters and undeclared attributes get 400")
    ap.add_argument("--ids", choices=("numeric", "string", "numeric_string"), default="numeric")
    ap.add_argument("--id-start", type=int, default=1, help="first numeric id (0 is allowed)")
    ap.add_argument("--api-key", action="append", default=[], help="accepted api_key (repeatable)")
    ap.add_argument("--jurisdiction", default=None, help="jurisdiction_id served")
    ap.add_argument("--jurisdiction-policy", choices=("optional", "required", "rejected"), default="optional")
    ap.add_argument("--progress-seconds", type=float, default=None,
                    help="move each case one stage on after this many seconds")
    ap.add_argument("--no-updates", action="store_true", help="do not offer servicerequestupdates")
    ap.add_argument("--unknown-id", choices=("404", "500", "empty"), default="404")
    ap.add_argument("--float-noise", action="store_true", help="return lat/long through a float32")
    ap.add_argument("--string-booleans", action="store_true", help='booleans as "true"/"false"')
    ap.add_argument("--no-gzip", action="store_true")
    ap.add_argument("--quiet", action="store_true", help="no access log on stderr")
    ap.add_argument("--info-file", help="write the listeners' URLs here as JSON once serving")
    ap.add_argument("--watch-pid", type=int, help="exit when this process is gone")
    ap.add_argument("--max-lifetime", type=float, help="exit after this many seconds (a test's safety net)")
    a = ap.parse_args(argv)

    config = {
        "token_mode": a.token_mode, "strict": a.strict, "ids": a.ids, "id_start": a.id_start,
        "api_keys": a.api_key, "jurisdiction_id": a.jurisdiction,
        "jurisdiction_policy": a.jurisdiction_policy, "progress_seconds": a.progress_seconds,
        "token_delay": a.token_delay, "updates": not a.no_updates, "unknown_id": a.unknown_id,
        "float_noise": a.float_noise, "string_booleans": a.string_booleans,
        "gzip": not a.no_gzip, "log": not a.quiet,
    }
    certs = os.path.abspath(a.certs)
    for f in ("ca.pem", "server.pem", "expired.pem", "wrong-ca.pem", "wrong-host.pem"):
        if not os.path.exists(os.path.join(certs, f)):
            sys.stderr.write("platform: %s is missing; make it with tests/platform/make-ca.sh %s\n"
                             % (os.path.join(certs, f), certs))
            return 2
    platform = Platform(a.db, config)

    servers = {}
    try:
        for name, cert, port in (("main", "server", a.port), ("expired", "expired", 0),
                                 ("wrong_ca", "wrong-ca", 0), ("wrong_host", "wrong-host", 0)):
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(os.path.join(certs, cert + ".pem"), os.path.join(certs, cert + ".key"))
            servers[name] = TLSServer((a.host, port), make_handler(ApiHandler, platform, name), ctx)
        servers["plain"] = QuietServer((a.host, 0), make_handler(ApiHandler, platform, "plain"))
        servers["admin"] = QuietServer(("127.0.0.1", a.admin_port), make_handler(AdminHandler, platform, "admin"))
    except OSError as e:
        sys.stderr.write("platform: cannot listen on %s: %s. Choose another port (--port/--admin-port, "
                         "or PLATFORM_PORT=0 with make).\n" % (a.host, e.strerror or e))
        return 1

    host = "[%s]" % a.host if ":" in a.host else a.host

    def url(name, scheme="https"):
        return "%s://%s:%d%s" % (scheme, host, servers[name].server_address[1], BASE)

    platform.info = {
        "url": url("main"), "ca": os.path.join(certs, "ca.pem"),
        "admin": "http://127.0.0.1:%d/" % servers["admin"].server_address[1],
        "pid": os.getpid(),
        "expired_url": url("expired"), "wrong_ca_url": url("wrong_ca"),
        "wrong_host_url": url("wrong_host"), "plain_url": url("plain", "http"),
        "pin": open(os.path.join(certs, "server.pin")).read().strip()
        if os.path.exists(os.path.join(certs, "server.pin")) else None,
        "db": os.path.abspath(a.db),
    }

    def stop(*_):
        platform.stop.set()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    threads = [threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
               for s in servers.values()]
    threads.append(threading.Thread(target=platform.ticker, daemon=True))
    for t in threads:
        t.start()

    lines = ["URL %s" % platform.info["url"], "CA %s" % platform.info["ca"],
             "ADMIN %s" % platform.info["admin"], "PID %d" % os.getpid(),
             "EXPIRED_URL %s" % platform.info["expired_url"],
             "WRONG_CA_URL %s" % platform.info["wrong_ca_url"],
             "WRONG_HOST_URL %s" % platform.info["wrong_host_url"],
             "PLAIN_URL %s" % platform.info["plain_url"],
             "PIN %s" % platform.info["pin"], "DB %s" % platform.info["db"]]
    print("\n".join(lines), flush=True)
    if not a.quiet:
        sys.stderr.write("Minyin reference platform serving; Ctrl+C stops it. Admin API and faults: "
                         "tests/platform/README.md\n")
    if a.info_file:
        tmp = a.info_file + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(platform.info, f, indent=1)
        os.replace(tmp, a.info_file)

    started = now()
    while not platform.stop.wait(0.5):
        if a.max_lifetime and now() - started > a.max_lifetime:
            sys.stderr.write("platform: --max-lifetime reached, stopping.\n")
            break
        if a.watch_pid and not process_alive(a.watch_pid):
            sys.stderr.write("platform: watched process %d is gone, stopping.\n" % a.watch_pid)
            break
    platform.stop.set()
    # Each shutdown() waits for its loop's poll; stop all loops at once.
    stoppers = [threading.Thread(target=s.shutdown) for s in servers.values()]
    for t in stoppers:
        t.start()
    for t in stoppers:
        t.join()
    for s in servers.values():
        s.server_close()
    with platform.lock:
        platform.db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
