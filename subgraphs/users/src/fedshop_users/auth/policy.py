"""Who may see what in the users service, written once for the REST and GraphQL doors.

Open mode (`REQUIRE_SIGN_IN=false`): everyone sees every email address, as the first task
statement asks. Signed-in mode: a user's address is visible to that user and to admins only;
others get the user with `email: null`.
"""

from fedshop_common.auth import Principal


def can_see_email(principal: Principal | None, user_id: object, require_sign_in: bool) -> bool:
    if principal is not None and (principal.is_admin or principal.is_user(user_id)):
        return True
    return not require_sign_in
