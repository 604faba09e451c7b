"""Brute-force oracle for cron-fire-times.csv.

Scans real instants one by one (each second for 6-field expressions, each minute for
5-field ones) and decides for each instant, from its local time, whether it fires:
fields are matched literally, day-of-month/day-of-week combine as in Vixie cron, and
daylight saving follows cronie: a spring-forward gap fires a fixed-time job at its first
instant if any skipped local time matched (a wildcard-time job only if the gap is at most
4 minutes; a fixed-time one only if it is under 3 hours), and a fixed-time job does not
fire in the second copy of a repeated local hour.
It shares no code with the Java implementation. Regenerate with:
    python3 oracle.py > cron-fire-times.csv
"""
import calendar
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

MONTHS = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()
DAYS = "SUN MON TUE WED THU FRI SAT".split()
MACROS = {"@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
          "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *"}


def value(text, names, base):
    if names and text.upper() in names:
        return names.index(text.upper()) + base
    return int(text)


def plain(field, lo, hi, names=None, base=0):
    out = set()
    for part in field.split(","):
        step = 1
        if "/" in part:
            part, s = part.split("/")
            step = int(s)
            if part != "*" and "-" not in part:
                part = part + "-" + str(hi)
        if part in ("*", "?"):
            a, b = lo, hi
        elif "-" in part:
            x, y = part.split("-")
            a, b = value(x, names, base), value(y, names, base)
        else:
            a = b = value(part, names, base)
        out.update(range(a, b + 1, step))
    return out


def weekday(y, m, d):  # 0 = Sunday
    return (calendar.weekday(y, m, d) + 1) % 7


def dom_matches(field, y, m, d):
    length = calendar.monthrange(y, m)[1]
    for part in field.split(","):
        p = part.upper()
        if p in ("*", "?"):
            return True
        if p == "L":
            if d == length: return True
        elif p == "LW":
            last = length
            while weekday(y, m, last) in (0, 6): last -= 1
            if d == last: return True
        elif p.startswith("L-"):
            if d == length - int(p[2:]): return True
        elif p.endswith("W"):
            n = int(p[:-1])
            if n > length: continue
            wd = weekday(y, m, n)
            t = n
            if wd == 6: t = 3 if n == 1 else n - 1
            if wd == 0: t = n - 2 if n == length else n + 1
            if d == t: return True
        elif d in plain(part, 1, 31):
            return True
    return False


def dow_matches(field, y, m, d):
    wd = weekday(y, m, d)
    length = calendar.monthrange(y, m)[1]
    for part in field.split(","):
        p = part.upper()
        if p in ("*", "?"):
            return True
        if "#" in p:
            x, n = p.split("#")
            if value(x, DAYS, 0) % 7 == wd and (d - 1) // 7 + 1 == int(n): return True
        elif p.endswith("L"):
            if value(p[:-1], DAYS, 0) % 7 == wd and d + 7 > length: return True
        else:
            if wd in {v % 7 for v in plain(part, 0, 7, DAYS, 0)}: return True
    return False


class Cron:
    def __init__(self, text):
        text = MACROS.get(text.lower(), text)
        f = text.split()
        if len(f) == 5: f = ["0"] + f
        self.sec, self.min, self.hour = plain(f[0], 0, 59), plain(f[1], 0, 59), plain(f[2], 0, 23)
        self.dom, self.month, self.dow = f[3], plain(f[4], 1, 12, MONTHS, 1), f[5]
        self.anded = f[3][0] in "*?" or f[5][0] in "*?"
        self.wildcard = f[1].startswith("*") or f[2].startswith("*")
        self.six = len(text.split()) == 6

    def date_matches(self, t):
        if t.month not in self.month: return False
        a, b = dom_matches(self.dom, t.year, t.month, t.day), dow_matches(self.dow, t.year, t.month, t.day)
        return (a and b) if self.anded else (a or b)

    def matches(self, t):  # t: naive local datetime
        if t.second not in self.sec or t.minute not in self.min or t.hour not in self.hour: return False
        if t.month not in self.month: return False
        a, b = dom_matches(self.dom, t.year, t.month, t.day), dow_matches(self.dow, t.year, t.month, t.day)
        return (a and b) if self.anded else (a or b)


def near_transition(t, zone):
    return (t - timedelta(hours=5)).astimezone(zone).utcoffset() != (t + timedelta(hours=5)).astimezone(zone).utcoffset()


def fires(cron, zone, start, count, horizon_days):
    step = timedelta(seconds=1 if cron.six else 60)
    t = (start.replace(second=0, microsecond=0) if not cron.six else start.replace(microsecond=0)) + step
    while t <= start: t += step
    end = start + timedelta(days=horizon_days)
    out = []
    while t < end and len(out) < count:
        local = t.astimezone(zone)
        naive = local.replace(tzinfo=None)
        if not cron.date_matches(naive) and not near_transition(t, zone):
            midnight = datetime(naive.year, naive.month, naive.day) + timedelta(days=1)
            t = max(t + step, midnight.replace(tzinfo=zone).astimezone(timezone.utc) - timedelta(hours=4))
            continue
        before = (t - step).astimezone(zone)
        gap = (local.utcoffset() > before.utcoffset())
        fire = cron.matches(naive)
        length = local.utcoffset() - before.utcoffset()
        if gap and (length <= timedelta(minutes=4) if cron.wildcard else length < timedelta(hours=3)):
            # first instant after a spring-forward gap: skipped local times collapse here
            skipped = before.replace(tzinfo=None) + step
            while skipped < naive:
                fire = fire or cron.matches(skipped)
                skipped += step
        if fire and not cron.wildcard and local.fold == 1:
            fire = False  # second copy of a repeated local time: fixed-time jobs fire once
        if fire: out.append(t)
        t += step
    return out


ROWS = [
    # expression, zone, start (UTC), count, horizon days
    ("* * * * *", "UTC", "2026-01-01T00:00:00Z", 5, 1),
    ("*/15 * * * *", "UTC", "2026-01-01T00:07:00Z", 6, 1),
    ("0 * * * *", "UTC", "2026-01-01T00:30:00Z", 4, 1),
    ("30 9 * * *", "UTC", "2026-01-01T10:00:00Z", 4, 10),
    ("0 9 * * MON", "UTC", "2026-01-01T00:00:00Z", 4, 40),
    ("0 9 * * MON-FRI", "UTC", "2026-01-02T12:00:00Z", 6, 20),
    ("0 0 1 * *", "UTC", "2026-01-15T00:00:00Z", 4, 200),
    ("0 0 1 1 *", "UTC", "2026-01-01T00:00:00Z", 3, 1200),
    ("@yearly", "UTC", "2026-06-01T00:00:00Z", 2, 800),
    ("@monthly", "UTC", "2026-01-31T12:00:00Z", 3, 120),
    ("@weekly", "UTC", "2026-01-01T00:00:00Z", 3, 30),
    ("@daily", "UTC", "2026-01-01T00:00:00Z", 3, 5),
    ("@midnight", "UTC", "2026-03-01T10:00:00Z", 2, 5),
    ("@hourly", "UTC", "2026-01-01T00:59:59Z", 3, 1),
    ("5,10,45 */6 * * *", "UTC", "2026-01-01T00:00:00Z", 7, 2),
    ("0-10/5 2-4 * * *", "UTC", "2026-01-01T00:00:00Z", 7, 2),
    ("0 0 * JAN,JUL *", "UTC", "2026-01-30T00:00:00Z", 4, 400),
    ("0 12 * * SUN", "UTC", "2026-01-01T00:00:00Z", 3, 30),
    ("0 12 * * 0", "UTC", "2026-01-01T00:00:00Z", 3, 30),
    ("0 12 * * 7", "UTC", "2026-01-01T00:00:00Z", 3, 30),
    ("0 12 * * 5-7", "UTC", "2026-01-01T00:00:00Z", 5, 30),
    ("0 0 13 * FRI", "UTC", "2026-01-01T00:00:00Z", 8, 120),
    ("0 0 1,15 * MON", "UTC", "2026-02-01T00:00:00Z", 8, 80),
    ("0 0 */2 * MON", "UTC", "2026-01-01T00:00:00Z", 6, 200),
    ("0 0 1-7 * */3", "UTC", "2026-01-01T00:00:00Z", 6, 200),
    ("0 0 ? * WED", "UTC", "2026-01-01T00:00:00Z", 3, 30),
    ("0 0 10 * ?", "UTC", "2026-01-01T00:00:00Z", 3, 120),
    ("0 0 29 2 *", "UTC", "2026-01-01T00:00:00Z", 3, 6000),
    ("0 0 31 * *", "UTC", "2026-01-01T00:00:00Z", 7, 400),
    ("0 0 L * *", "UTC", "2026-01-01T00:00:00Z", 6, 200),
    ("0 0 L-2 * *", "UTC", "2026-01-01T00:00:00Z", 6, 200),
    ("0 0 LW * *", "UTC", "2026-01-01T00:00:00Z", 6, 200),
    ("0 0 15W * *", "UTC", "2026-01-01T00:00:00Z", 8, 300),
    ("0 0 1W * *", "UTC", "2026-01-01T00:00:00Z", 8, 300),
    ("0 0 31W * *", "UTC", "2026-01-01T00:00:00Z", 6, 400),
    ("0 0 * * 5L", "UTC", "2026-01-01T00:00:00Z", 6, 200),
    ("0 0 * * FRIL", "UTC", "2026-01-01T00:00:00Z", 3, 100),
    ("0 0 * * MON#1", "UTC", "2026-01-01T00:00:00Z", 6, 200),
    ("0 0 * * 2#3", "UTC", "2026-01-01T00:00:00Z", 6, 200),
    ("0 0 * * SAT#5", "UTC", "2026-01-01T00:00:00Z", 4, 400),
    ("0 10 L,15 * *", "UTC", "2026-01-01T00:00:00Z", 6, 120),
    ("0 10 * * MON#1,FRIL", "UTC", "2026-01-01T00:00:00Z", 6, 120),
    ("*/20 * * * * *", "UTC", "2026-01-01T00:00:05Z", 5, 1),
    ("0 0 9 * * MON-FRI", "UTC", "2026-01-01T00:00:00Z", 5, 20),
    ("15,45 30 12 * * *", "UTC", "2026-01-01T00:00:00Z", 4, 5),
    ("0 0 0 L * ?", "UTC", "2026-01-01T00:00:00Z", 4, 200),
    ("10-20/5 * * * * *", "UTC", "2026-01-01T00:00:00Z", 6, 1),
    ("0 0 12 ? * 6L", "UTC", "2026-01-01T00:00:00Z", 3, 100),
    ("0 9 * * MON", "Europe/Paris", "2026-01-01T00:00:00Z", 4, 40),
    ("0 0 1 * *", "Asia/Tokyo", "2026-01-15T00:00:00Z", 3, 100),
    ("30 8 * * *", "Asia/Kolkata", "2026-01-01T00:00:00Z", 3, 5),
    # America/New_York: spring forward 2026-03-08 02:00 -> 03:00, fall back 2026-11-01 02:00 -> 01:00
    ("30 2 * * *", "America/New_York", "2026-03-06T12:00:00Z", 4, 10),
    ("0 2 * * *", "America/New_York", "2026-03-06T12:00:00Z", 4, 10),
    ("0 3 * * *", "America/New_York", "2026-03-06T12:00:00Z", 4, 10),
    ("*/15 * * * *", "America/New_York", "2026-03-08T06:30:00Z", 6, 1),
    ("30 * * * *", "America/New_York", "2026-03-08T05:00:00Z", 4, 1),
    ("30 1 * * *", "America/New_York", "2026-10-30T12:00:00Z", 4, 10),
    ("0 1 * * *", "America/New_York", "2026-10-30T12:00:00Z", 4, 10),
    ("*/20 * * * *", "America/New_York", "2026-11-01T04:30:00Z", 8, 1),
    ("30 * * * *", "America/New_York", "2026-11-01T04:00:00Z", 5, 1),
    ("0 * * * *", "America/New_York", "2026-11-01T04:00:00Z", 5, 1),
    ("0 1-3 * * *", "America/New_York", "2026-10-31T12:00:00Z", 6, 3),
    ("0 */1 * * *", "America/New_York", "2026-11-01T04:30:00Z", 4, 1),
    ("0 30 1 * * *", "America/New_York", "2026-11-01T04:00:00Z", 2, 3),
    ("*/30 30 1 * * *", "America/New_York", "2026-11-01T05:00:00Z", 3, 3),
    # Europe/Berlin: spring forward 2026-03-29 02:00 -> 03:00, fall back 2026-10-25 03:00 -> 02:00
    ("30 2 * * *", "Europe/Berlin", "2026-03-27T12:00:00Z", 4, 10),
    ("15 2 29 3 *", "Europe/Berlin", "2026-01-01T00:00:00Z", 3, 1200),
    ("*/30 * * * *", "Europe/Berlin", "2026-03-29T00:15:00Z", 5, 1),
    ("0 2 * * *", "Europe/Berlin", "2026-10-23T12:00:00Z", 4, 10),
    ("30 2 * * SUN", "Europe/Berlin", "2026-10-20T00:00:00Z", 3, 30),
    ("*/30 * * * *", "Europe/Berlin", "2026-10-24T23:45:00Z", 6, 1),
    ("0 * * * *", "Europe/Berlin", "2026-10-25T00:00:00Z", 4, 1),
    # Australia/Lord_Howe shifts by 30 minutes: 2026-10-04 02:00 -> 02:30, 2026-04-05 02:00 -> 01:30
    ("15 2 * * *", "Australia/Lord_Howe", "2026-10-02T00:00:00Z", 3, 10),
    ("*/10 * * * *", "Australia/Lord_Howe", "2026-10-03T15:20:00Z", 5, 1),
    ("45 1 * * *", "Australia/Lord_Howe", "2026-04-03T00:00:00Z", 3, 10),
    ("*/20 1 * * *", "Australia/Lord_Howe", "2026-04-04T14:10:00Z", 6, 3),
    # cronie's rules for wildcard jobs in a gap (New York, 2025-03-09 02:00 -> 03:00): the new time only
    ("* 2 * * *", "America/New_York", "2025-03-08T12:00:00Z", 3, 3),
    ("30 * * * *", "America/New_York", "2025-03-09T06:00:00Z", 2, 1),
    # the last instants before a gap (New York, 2007-03-11 02:00 -> 03:00)
    ("0 2 * * *", "America/New_York", "2007-03-11T06:59:59.999Z", 2, 3),
    ("45 * * * *", "America/New_York", "2007-03-11T06:58:00.999Z", 2, 1),
    ("45 * * * *", "America/New_York", "2007-03-11T06:59:59.999Z", 2, 1),
    ("*/2 2 * * *", "America/New_York", "2007-03-11T06:59:59Z", 2, 3),
    # midnight gaps: Sao Paulo 2018-11-04 00:00 -> 01:00, Tehran 2021-03-22 00:00 -> 01:00
    ("0 0 * * *", "America/Sao_Paulo", "2018-11-02T12:00:00Z", 3, 5),
    ("30 0 * * *", "Asia/Tehran", "2021-03-20T12:00:00Z", 3, 5),
    ("30 * * * *", "Asia/Tehran", "2021-03-21T19:00:00Z", 3, 1),
    # Southern hemisphere, fall back in April: America/Santiago and a midnight transition
    ("0 0 * * *", "America/Santiago", "2026-04-03T12:00:00Z", 3, 5),
    ("0 0 * * *", "America/Santiago", "2026-09-04T12:00:00Z", 3, 5),
    ("30 23 * * *", "America/Santiago", "2026-04-03T12:00:00Z", 3, 5),
]

if __name__ == "__main__":
    print("# expression;zone;after;expected fire times (ISO instants, space separated) -- generated by oracle.py")
    for expr, zone, start, count, horizon in ROWS:
        z = ZoneInfo(zone)
        s = datetime.fromisoformat(start.replace("Z", "+00:00"))
        out = fires(Cron(expr), z, s, count, horizon)
        assert len(out) == count, (expr, zone, start, out)
        print(";".join([expr, zone, start, " ".join(o.strftime("%Y-%m-%dT%H:%M:%SZ") for o in out)]))
