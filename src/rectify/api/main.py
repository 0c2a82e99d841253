"""The REST API (`/api/v1/`): one NinjaAPI, its authentication, its error handler and its routers."""

from __future__ import annotations

from ninja import NinjaAPI

from rectify.api import (
    evidence,
    findings,
    inspections,
    leads,
    me,
    outcomes,
    rules,
    stats,
    task_actions,
    tasks,
    tokens,
)
from rectify.api.auth import SessionAuth, TokenAuth
from rectify.api.docs import LocalSwagger
from rectify.api.errors import install

DESCRIPTION = (
    "整改台账的 REST 接口。网页会话（写操作需带 X-CSRFToken）或个人接口令牌"
    "（`Authorization: Bearer <令牌>`，只读令牌不能写）均可访问。"
    "出错时返回 `{\"code\", \"message\", \"field\"}`：404 不可见、403 无权限、409 状态或版本冲突、422 输入无效。"
)

api = NinjaAPI(
    urls_namespace="api",
    title="整改台账 API",
    version="1",
    description=DESCRIPTION,
    auth=[TokenAuth(), SessionAuth()],
    docs=LocalSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install(api)

for module in (me, inspections, findings, tasks, task_actions, evidence, leads, rules, outcomes, stats, tokens):
    api.add_router("", module.router)
