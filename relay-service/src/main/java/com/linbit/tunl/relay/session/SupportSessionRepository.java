package com.linbit.tunl.relay.session;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

import java.util.Optional;

import jakarta.persistence.LockModeType;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

interface SupportSessionRepository extends JpaRepository<SupportSession, String> {

    List<SupportSession> findByStateInOrderByCreatedAtAsc(Collection<SessionState> states);

    List<SupportSession> findByStateAndClaimDeadlineBefore(SessionState state, Instant deadline);

    List<SupportSession> findByStateInAndClaimedAtBefore(Collection<SessionState> states, Instant cutoff);

    List<SupportSession> findByStateAndDisconnectedAtBefore(SessionState state, Instant cutoff);

    long countByState(SessionState state);

    long countByCreatedByAndStateIn(String createdBy, Collection<SessionState> states);

    @Query("""
            select s from SupportSession s
            where s.state = com.linbit.tunl.relay.session.SessionState.CLOSED
              and (:caseNumber is null or s.caseNumber = :caseNumber)
              and (:createdBy is null or s.createdBy = :createdBy)
            order by s.closedAt desc
            """)
    List<SupportSession> findClosed(String caseNumber, String createdBy, Limit limit);

    /** The row locked for the rest of the transaction, so two agents cannot claim it at once. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select s from SupportSession s where s.id = :id")
    Optional<SupportSession> lockById(String id);
}
