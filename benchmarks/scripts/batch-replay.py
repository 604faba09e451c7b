#!/usr/bin/env python3
"""Writes, as Redis protocol on standard output, the calls of the batch script that the
scheduled path sends: for each round, one won claim and one release with its record for
every job, 31 operations a call (claims first, then releases), with the arguments the
Java side writes (ScriptCodec, ExecutionCodec) for a job that fires every 20 ms.

Usage: batch-replay.py <batch.lua> <rounds> [jobs]   (see batch-replay.sh)
"""
import hashlib
import random
import sys

OPS_PER_CALL = 31
FIRST_FIRE = 1796479638000


def command(out, args):
    parts = [b'*%d\r\n' % len(args)]
    for arg in args:
        data = arg.encode() if isinstance(arg, str) else arg
        parts.append(b'$%d\r\n%s\r\n' % (len(data), data))
    out.write(b''.join(parts))


def call(out, digest, operations):
    keys = []
    # history max per job, history ttl (ms), fire window
    arguments = ['100', '604800000', '16']
    for job, kind, values in operations:
        state = 'tickwork:{g%d}:job-%d' % (job % 3, job)
        keys += [state, state + ':history']
        arguments += [kind] + values
    command(out, ['EVALSHA', digest, str(len(keys))] + keys + arguments)


def main():
    script = open(sys.argv[1], 'rb').read()
    digest = hashlib.sha1(script).hexdigest()
    rounds = int(sys.argv[2])
    jobs = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
    out = sys.stdout.buffer
    for round_ in range(rounds):
        fire = FIRST_FIRE + round_ * 20
        tokens = {}
        ids = {}
        for start in range(0, jobs, OPS_PER_CALL):
            claims = []
            for job in range(start, min(jobs, start + OPS_PER_CALL)):
                tokens[job] = '%032x' % random.getrandbits(128)
                ids[job] = '01M938FVAPBFPV45XG6Y%06d' % (round_ * 10000 + job)
                before = ('{"id":"%s","job":"job-%d","scheduled":%d000,"started":%d495,"finished":null,'
                          '"status":"RUNNING","attempts":0,"error":null,"instance":"vm-6141","fencing":'
                          % (ids[job], job, fire, fire + 5))
                claims.append((job, 'c111', [str(fire), '30000', tokens[job], ids[job], before,
                                             ',"trigger":"SCHEDULE"}']))
            call(out, digest, claims)
        for start in range(0, jobs, OPS_PER_CALL):
            releases = []
            for job in range(start, min(jobs, start + OPS_PER_CALL)):
                record = ('{"id":"%s","job":"job-%d","scheduled":%d000,"started":%d495,"finished":%d497,'
                          '"status":"SUCCEEDED","attempts":1,"error":null,"instance":"vm-6141","fencing":%d,'
                          '"trigger":"SCHEDULE"}' % (ids[job], job, fire, fire + 5, fire + 5, round_ + 1))
                releases.append((job, 'r11', [tokens[job], 'SUCCEEDED', '2', '%d497' % (fire + 5), record]))
            call(out, digest, releases)


if __name__ == '__main__':
    main()
