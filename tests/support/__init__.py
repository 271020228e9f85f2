"""Helpers the tests import (`from tests.support.helpers import render`); no tests here."""
