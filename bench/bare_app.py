"""Baseline of measurement 1: FastAPI's ceiling on this machine. The same route shape, response
model and server settings as the users service's `GET /users/{id}`, answering from a dict: no
service, no cache, no database. Run as `python -m bench.bare_app` (PORT from the environment)."""

import os

import uvicorn
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

app = FastAPI(title="bare FastAPI baseline")


class UserRecord(BaseModel):
    id: int
    first_name: str
    last_name: str
    email: str


USERS = {
    n: {"id": n, "first_name": "Bench", "last_name": f"User {n}", "email": f"u{n}@example.com"}
    for n in range(1, 1001)
}


@app.get("/users/{user_id}", response_model=UserRecord)
async def get_user(user_id: str) -> dict:
    user = USERS.get(int(user_id)) if user_id.isdigit() else None
    if user is None:
        raise HTTPException(status_code=404, detail=f"user {user_id} not found")
    return user


@app.get("/health")
async def health() -> dict:
    return {"status": "ok"}


if __name__ == "__main__":
    # As fedshop_common.web.serve runs every service: uvicorn, one process, access log at info.
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ["PORT"]), log_level="info")
