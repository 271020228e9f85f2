# Commands of the tasks module, included by the project's Makefile.
.PHONY: worker tasks-status

worker: install migrate ## Run queued and periodic background tasks until Ctrl+C (production: one or more)
	$(MANAGE) run_worker $(ARGS)

tasks-status: install ## Show the task queue: waiting, running, failed tasks and live workers
	$(MANAGE) tasks_status
