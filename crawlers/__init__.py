"""Scrapy project: spiders, export readers and item pipelines."""
