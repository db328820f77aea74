# Two entry points for a fresh Debian/Ubuntu machine (see README):
#   make lab    the whole platform in the local lab (engine, images, venv, containers, site.yml)
#   make test   every test: unit, lint, sanity, molecule
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
LAB := $(PYTHON) lab/lab.py
export ODOO_SAAS_VENV := $(abspath $(VENV))
export ANSIBLE_CONFIG := $(abspath ansible.cfg)
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: lab site lab-info lab-down lab-destroy venv test unit lint sanity molecule molecule-base

lab: venv
	$(LAB) up
	$(BIN)/ansible-playbook odoo_saas.platform.site
	$(BIN)/ansible-playbook odoo_saas.platform.tenant_onboard -e tenant=demo
	$(LAB) info

site: venv
	$(BIN)/ansible-playbook odoo_saas.platform.site

lab-info:
	$(LAB) info --json

lab-down:
	$(LAB) down

lab-destroy:
	$(LAB) destroy

venv: $(BIN)/.installed

$(BIN)/.installed: requirements.txt cli/pyproject.toml
	@if ! $(PYTHON) -m venv --help >/dev/null 2>&1 || ! $(PYTHON) -c 'import ensurepip' 2>/dev/null; then \
	  echo "installing python3-venv"; DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv; fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -r requirements.txt
	$(BIN)/pip install -q --no-deps -e cli
	touch $@

test: venv
	tools/run-tests

unit: venv
	tools/run-tests unit

lint: venv
	tools/run-tests lint

sanity: venv
	tools/run-tests sanity

molecule: venv
	tools/run-tests molecule

molecule-base: venv
	tools/run-tests molecule_base
