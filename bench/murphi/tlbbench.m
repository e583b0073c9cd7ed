-- tlbbench: the reference benchmark (../shared/bench/tlbbench.md) rendered in Murphi for Rumur.
-- One mm, N CPUs, P virtual pages, F physical frames. Written from the text of tlbbench.md.
-- Sizes: S = 3,3,3  M = 4,3,3  L = 6,2,3 (edit here, or use gen.sh N P F [MODE]).

const
  N: 4;              -- CPUs
  P: 3;              -- virtual pages
  F: 3;              -- physical frames
  SHOOTDOWN: true;   -- MODE: true = "shootdown", false = "local" (VM_LOCAL_CPU)

type
  CPUS: scalarset(N);   -- interchangeable: symmetry reduction applies to them
  PAGES: 1..P;
  FRAMES: 1..F;
  PAGE0: 0..P;          -- 0 = none
  FRAME0: 0..F;         -- 0 = not present / no translation

var
  running: array [CPUS] of boolean;              -- a thread of the mm runs on the CPU
  mask:    array [CPUS] of boolean;              -- mm_cpumask bits
  pte:     array [PAGES] of FRAME0;              -- page table
  tlb:     array [CPUS] of array [PAGES] of FRAME0;  -- cached translations
  free:    array [FRAMES] of boolean;            -- frame is in the free pool
  busy:    boolean;                              -- an unmap is in flight
  opPage:  PAGE0;                                -- page being unmapped (0 when idle)
  opFrame: FRAME0;                               -- frame being released (0 when idle)
  pending: array [CPUS] of boolean;              -- flush IPI not yet acknowledged

startstate "Init"
begin
  for c: CPUS do
    running[c] := false;
    mask[c] := false;
    pending[c] := false;
    for p: PAGES do tlb[c][p] := 0; end;
  end;
  for p: PAGES do pte[p] := 0; end;
  for f: FRAMES do free[f] := true; end;
  busy := false;
  opPage := 0;
  opFrame := 0;
end;

ruleset c: CPUS do

  rule "SwitchIn"
    !running[c]
  ==>
  begin
    running[c] := true;
    mask[c] := true;
  end;

  -- CR3 reload: the CPU's TLB is emptied; the mask bit stays (cleared lazily)
  rule "SwitchOut"
    running[c]
  ==>
  begin
    running[c] := false;
    for p: PAGES do tlb[c][p] := 0; end;
  end;

  rule "TrimMask"
    !running[c] & mask[c]
  ==>
  begin
    mask[c] := false;
  end;

  ruleset p: PAGES do

    ruleset f: FRAMES do
      rule "Map"
        running[c] & !busy & pte[p] = 0 & free[f]
      ==>
      begin
        pte[p] := f;
        free[f] := false;
      end;
    end;

    -- hardware page walk (real or speculative)
    rule "Fill"
      running[c] & pte[p] != 0 & tlb[c][p] = 0
    ==>
    begin
      tlb[c][p] := pte[p];
    end;

    rule "Unmap"
      running[c] & !busy & pte[p] != 0
    ==>
    begin
      opFrame := pte[p];
      opPage := p;
      pte[p] := 0;
      tlb[c][p] := 0;
      busy := true;
      for d: CPUS do
        pending[d] := SHOOTDOWN & d != c & mask[d];
      end;
    end;

  end;

  rule "Ack"
    pending[c]
  ==>
  begin
    tlb[c][opPage] := 0;
    pending[c] := false;
  end;

end;

rule "Release"
  busy & forall d: CPUS do !pending[d] endforall
==>
begin
  free[opFrame] := true;
  busy := false;
  opPage := 0;
  opFrame := 0;
end;

-- no CPU translates to a freed frame
invariant "NoStaleTranslation"
  forall c: CPUS do forall p: PAGES do
    tlb[c][p] = 0 | !free[tlb[c][p]]
  endforall endforall;

invariant "TlbCoherent"
  forall c: CPUS do forall p: PAGES do
    tlb[c][p] = 0 | tlb[c][p] = pte[p] | (busy & p = opPage & pending[c])
  endforall endforall;
