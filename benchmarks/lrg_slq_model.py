# A model of the deflated SLQ estimator on the exact spectrum of a 2-D torus (issue 15):
# exact k lowest modes + P probes (chi-square weights in the eigenbasis) × m Lanczos steps
# on the rest (Lanczos on the diagonal matrix), max |C − C_exact|·ln N over the default grid.
# Usage: /usr/bin/python3 benchmarks/lrg_slq_model.py L k m P [seed]   (docs/lrg.md, quadratureSteps)
import numpy as np, sys, time
L=int(sys.argv[1]); k=int(sys.argv[2]); m=int(sys.argv[3]); P=int(sys.argv[4]); seed=int(sys.argv[5]) if len(sys.argv)>5 else 1
one=2*(1-np.cos(2*np.pi*np.arange(L)/L))
lam=np.sort((one[:,None]+one[None,:]).ravel())
N=lam.size
lmax=lam[-1]; l2=lam[1]
tau=np.logspace(np.log10(0.1/lmax), np.log10(10/l2), 200)
def curves(nodes, weights):
    # Z, Z1=sum w λ e, Z2 = sum w λ² e  (shift-free; use logsumexp via subtracting min)
    S=[];C=[]
    for t in tau:
        e=weights*np.exp(-t*nodes)
        Z=e.sum(); a=(e*nodes).sum()/Z; b=(e*nodes**2).sum()/Z
        S.append(np.log(Z)+t*a); C.append(t*t*(b-a*a))
    return np.array(S)/np.log(N), np.array(C)/np.log(N)
Se,Ce=curves(lam, np.ones(N))
rng=np.random.default_rng(seed)
rest=lam[1+k:]; dim=rest.size
def lanczos_diag(d, w, m):
    # Lanczos on diag(d) with start vector sqrt(w) normalised
    q=np.sqrt(w); q/=np.linalg.norm(q); qp=np.zeros_like(q); b=0; al=[]; be=[]
    for j in range(m):
        v=d*q - b*qp; a=q@v; v-=a*q; v-=(q@v)*q; b=np.linalg.norm(v); al.append(a); be.append(b)
        qp=q; q=v/b
    T=np.diag(al)+np.diag(be[:-1],1)+np.diag(be[:-1],-1)
    th,U=np.linalg.eigh(T); return np.maximum(th,0), U[0]**2
t0=time.time()
nodes=[];wts=[]
for p in range(P):
    z=rng.standard_normal(dim)**2  # probe weights in the eigenbasis
    th,wq=lanczos_diag(rest, z, m)
    nodes.append(th); wts.append(wq*dim/P)
ex_nodes=np.concatenate([lam[:1+k]]+nodes); ex_w=np.concatenate([np.ones(1+k)]+wts)
S,C=curves(ex_nodes, ex_w)
err=np.abs(C-Ce)*np.log(N)
i=err.argmax()
print(f"L={L} k={k} m={m} P={P} seed={seed}: max|C-Ce|lnN={err.max():.3f} at tau={tau[i]:.4g}; err>0.05 for tau in [{tau[err>0.05].min() if (err>0.05).any() else 0:.3g},{tau[err>0.05].max() if (err>0.05).any() else 0:.3g}]  ({time.time()-t0:.0f}s)")
