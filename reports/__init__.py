"""Reports: KPIs, charts, HTML/PDF, bad-buzz detection and alert e-mails."""
