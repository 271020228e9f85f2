import { useEffect, useState } from "react";

import { api } from "../api";
import { ErrorState } from "./ErrorState";
import { Loading } from "./Loading";

interface Account {
  email: string;
  date_joined: string;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "long" });

/** "Your account": read from GET /api/v1/me/. */
export function AccountCard() {
  const [account, setAccount] = useState<Account | null>(null);
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    api.GET("/me/").then(({ data }) => {
      if (!live) return;
      if (data) setAccount(data);
      else setFailed(true);
    }, () => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [attempt]);

  return (
    <section className="card" aria-labelledby="account-title">
      <h2 id="account-title" className="card__title">
        Your account
      </h2>
      {account ? (
        <dl className="details-list">
          <div>
            <dt>Email</dt>
            <dd>{account.email}</dd>
          </div>
          <div>
            <dt>Member since</dt>
            <dd>
              <time dateTime={account.date_joined}>{dateFormat.format(new Date(account.date_joined))}</time>
            </dd>
          </div>
        </dl>
      ) : failed ? (
        <ErrorState
          message="Your account details could not be loaded."
          onRetry={() => {
            setFailed(false);
            setAttempt((n) => n + 1);
          }}
        />
      ) : (
        <Loading />
      )}
    </section>
  );
}
