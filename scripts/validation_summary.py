#!/usr/bin/env python3
"""Validation summary of reuse grids (scripts/default-grids.sh): for each task, archive,
rescale policy and start, the mean gain over the random start of the best validation figure
each run kept (results.json "curve"), with the worst and best (<= 10% of labels) paired t of the
test headline. Usage: scripts/validation_summary.py reports/default-grids"""
import json, sys, statistics as st, math, glob, os
os.chdir(sys.argv[1] if len(sys.argv) > 1 else "reports/default-grids")
def tstat(d):
    m=st.mean(d); s=st.stdev(d) if len(d)>1 else 0
    return m/(s/math.sqrt(len(d))) if s>0 else (math.inf if m>0 else -math.inf if m<0 else 0)
rows={}
for f in sorted(glob.glob('*/results.json')):
    name=os.path.dirname(f); r=json.load(open(f)); head=r['headline']
    policy=name.split('-')[-1]; task='-'.join(name.split('-')[:-1])
    runs=r['runs']; rnd={(x['fraction'],x['seed']):x for x in runs if x['start']=='random'}
    for a,s in sorted(set((x['archive'],x['start']) for x in runs if x['start']!='random')):
        cells=[x for x in runs if x['archive']==a and x['start']==s]
        dv=[max(c['curve'] or [0])-max(rnd[(c['fraction'],c['seed'])]['curve'] or [0]) for c in cells]
        # per-share test t
        worst=99; best_small=-99
        for q in sorted(set(c['fraction'] for c in cells)):
            dt=[c['metrics'][head]-rnd[(q,c['seed'])]['metrics'][head] for c in cells if c['fraction']==q]
            t=tstat(dt); worst=min(worst,t)
            if q<=0.1: best_small=max(best_small,t)
        rows.setdefault((task,a),{})[(policy,s)]=(st.mean(dv),worst,best_small)
for (task,a),d in rows.items():
    print(f"== {task} / {a}   [mean validation delta vs random | worst test t over shares | best test t at <=10%]")
    for (p,s),(v,w,b) in sorted(d.items(), key=lambda kv:-kv[1][0]):
        print(f"   {p:5s} {s:15s} val {v:+.4f}   worst t {w:+6.1f}   best small t {b:+6.1f}")
