from django.contrib import admin

from rectify.jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "status", "attempts", "max_attempts", "run_after", "locked_by", "progress",
                    "finished_at"]
    list_filter = ["status", "name"]
    readonly_fields = [f.name for f in Job._meta.fields]
