#!/usr/bin/python3
"""Independent reference values for tests/core/evaluation/statistics_test.cc.

Standard library only (run with Debian's /usr/bin/python3). The Student t
distribution is computed a different way from the plugin: by integrating the
density with Simpson's rule instead of through the incomplete beta function,
so the two implementations share no code and no algorithm.

Usage (each prints key=value lines):
  reference_statistics.py tq P DF          t quantile
  reference_statistics.py tcdf T DF        t CDF
  reference_statistics.py zq P             normal quantile
  reference_statistics.py paired B1,B2,... A1,A2,... CONF
  reference_statistics.py welch X1,X2,... Y1,Y2,... CONF
  reference_statistics.py wilson S N CONF
"""
import math
import statistics
import sys


def t_density(t, df):
    log_c = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    return math.exp(log_c - (df + 1) / 2 * math.log1p(t * t / df))


def t_cdf(t, df):
    if t == 0:
        return 0.5
    a = abs(t)
    # Simpson's rule on [0, a], fine enough for 1e-11 on the ranges tested.
    n = 2 * max(2000, int(a * 400))
    h = a / n
    s = t_density(0, df) + t_density(a, df)
    for i in range(1, n):
        s += (4 if i % 2 else 2) * t_density(i * h, df)
    half = s * h / 3
    return 0.5 + half if t > 0 else 0.5 - half


def t_quantile(p, df):
    lo, hi = -1.0, 1.0
    while t_cdf(lo, df) > p:
        lo *= 2
    while t_cdf(hi, df) < p:
        hi *= 2
    for _ in range(80):
        mid = (lo + hi) / 2
        if t_cdf(mid, df) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def floats(s):
    return [float(v) for v in s.split(",")]


def out(**kw):
    for k, v in kw.items():
        print(f"{k}={v!r}")


def main(argv):
    cmd = argv[1]
    if cmd == "tq":
        out(value=t_quantile(float(argv[2]), float(argv[3])))
    elif cmd == "tcdf":
        out(value=t_cdf(float(argv[2]), float(argv[3])))
    elif cmd == "zq":
        out(value=statistics.NormalDist().inv_cdf(float(argv[2])))
    elif cmd == "paired":
        before, after, conf = floats(argv[2]), floats(argv[3]), float(argv[4])
        d = [a - b for a, b in zip(after, before)]
        n = len(d)
        mean, sd = statistics.fmean(d), statistics.stdev(d)
        se = sd / math.sqrt(n)
        t = mean / se
        crit = t_quantile(1 - (1 - conf) / 2, n - 1)
        sav = (statistics.stdev(before) + statistics.stdev(after)) / 2
        out(n=n, mean_before=statistics.fmean(before), mean_after=statistics.fmean(after),
            mean_difference=mean, sd_difference=sd, standard_error=se, t=t,
            p=2 * (1 - t_cdf(abs(t), n - 1)), ci_low=mean - crit * se, ci_high=mean + crit * se,
            dz=mean / sd, dav=mean / sav)
    elif cmd == "welch":
        x, y, conf = floats(argv[2]), floats(argv[3]), float(argv[4])
        n1, n2 = len(x), len(y)
        v1, v2 = statistics.variance(x) / n1, statistics.variance(y) / n2
        diff = statistics.fmean(x) - statistics.fmean(y)
        se = math.sqrt(v1 + v2)
        df = (v1 + v2) ** 2 / (v1 ** 2 / (n1 - 1) + v2 ** 2 / (n2 - 1))
        t = diff / se
        crit = t_quantile(1 - (1 - conf) / 2, df)
        sp = math.sqrt(((n1 - 1) * statistics.variance(x) + (n2 - 1) * statistics.variance(y))
                       / (n1 + n2 - 2))
        g = (1 - 3 / (4 * (n1 + n2) - 9)) * diff / sp
        out(mean_difference=diff, standard_error=se, df=df, t=t,
            p=2 * (1 - t_cdf(abs(t), df)), ci_low=diff - crit * se, ci_high=diff + crit * se,
            g=g)
    elif cmd == "wilson":
        s, n, conf = int(argv[2]), int(argv[3]), float(argv[4])
        z = statistics.NormalDist().inv_cdf(1 - (1 - conf) / 2)
        # The Wilson interval's ends are the roots of (p - phat)^2 = z^2 p (1 - p) / n,
        # a quadratic in p solved here directly rather than by the usual closed form.
        phat = s / n
        qa = 1 + z * z / n
        qb = -(2 * phat + z * z / n)
        qc = phat * phat
        disc = math.sqrt(max(0.0, qb * qb - 4 * qa * qc))
        out(estimate=phat, ci_low=(-qb - disc) / (2 * qa), ci_high=(-qb + disc) / (2 * qa))
    else:
        raise SystemExit(f"unknown command {cmd}")


if __name__ == "__main__":
    main(sys.argv)
