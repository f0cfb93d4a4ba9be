# Peerwise — build, test, demo. `make demo` and `make test` are the README's two commands.
SHELL := /bin/bash
VENV  := .venv
PY    := $(VENV)/bin/python
BIN   := $(VENV)/bin
STAMP := $(VENV)/.stamp
PYTEST := $(BIN)/pytest

.PHONY: all deps venv unit lint daemon interop test demo lab-down bench schema clean

all: test

$(STAMP): requirements/dev.txt speaker/pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements/dev.txt
	$(BIN)/pip install -q --disable-pip-version-check -e ./speaker
	touch $(STAMP)

venv: $(STAMP)

## Debian packages the tests and the demo drive (installed when missing; needs root).
deps:
	tools/debian-deps

## Fast tier: codec, FSM, model, NETCONF framing, CLI formatting — seconds, no daemons.
unit: $(STAMP)
	$(PYTEST) -q tests/unit

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	cd speaker && ../$(BIN)/mypy --config-file ../mypy.ini -p peerwise.wire -p peerwise.fsm -p peerwise.model -p peerwise.rib -p peerwise.mgmt.framing -p peerwise.session

## Daemon-level integration tests: peerwised processes and Servers on loopback, the seed scenario.
daemon: $(STAMP)
	$(PYTEST) -q tests/daemon

## Interop with the real peers (GoBGP, FRR, BIRD, ExaBGP from Debian), each on its own 127.x.
interop: $(STAMP)
	$(PYTEST) -q tests/interop

## Full tier: everything, with real peers, real sockets, the lab and ansible-test.
test: deps lint $(STAMP)
	$(PYTEST) -q tests

schema: $(STAMP)
	PYANG=$(BIN)/pyang tools/pyang_plugins/regenerate.sh

## The collection as Ansible finds it: build/collections/ansible_collections/peerwise/bgp -> here.
COLL := $(CURDIR)/build/collections
$(COLL)/ansible_collections/peerwise/bgp:
	mkdir -p $(COLL)/ansible_collections/peerwise
	ln -sfn $(CURDIR) $(COLL)/ansible_collections/peerwise/bgp

## The seed's two-host peering: a 2-host lab, peer.yml over SSH, then node1's neighbor table.
demo: deps $(STAMP) $(COLL)/ansible_collections/peerwise/bgp
	lab/lab up 2
	ANSIBLE_COLLECTIONS_PATH=$(COLL) $(BIN)/ansible-playbook -i lab/state/inventory.ini playbooks/peer.yml
	@echo; echo "node1$$ peerwise neighbor"
	@ssh -i lab/state/id_ed25519 -o UserKnownHostsFile=lab/state/known_hosts -o IdentitiesOnly=yes \
	  root@198.18.0.11 /opt/peerwise/venv/bin/peerwise neighbor
	@echo; echo "The lab stays up: ssh -i lab/state/id_ed25519 -o UserKnownHostsFile=lab/state/known_hosts root@198.18.0.11"
	@echo "Remove it with: make lab-down"

lab-down:
	lab/lab down

## Side-by-side propagation benchmark (peerwised, gobgpd, bird, frr; exabgp as a receiver).
bench: $(STAMP)
	$(PY) bench/run.py --sizes 100k,1m --ipv6 200k --targets peerwised,gobgpd,bird,frr,exabgp --late

clean:
	rm -rf $(VENV) speaker/build speaker/*.egg-info .pytest_cache .mypy_cache .ruff_cache
