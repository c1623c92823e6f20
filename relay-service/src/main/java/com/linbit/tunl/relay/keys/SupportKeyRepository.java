package com.linbit.tunl.relay.keys;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface SupportKeyRepository extends JpaRepository<SupportKey, Long> {

    List<SupportKey> findByEngineerOrderByIdAsc(Engineer engineer);

    Optional<SupportKey> findByIdAndEngineer(Long id, Engineer engineer);

    boolean existsByFingerprintAndRevokedAtIsNull(String fingerprint);

    @Query("select k from SupportKey k join fetch k.engineer where k.revokedAt is null")
    List<SupportKey> findAllActive();

    @Query("select distinct k.fingerprint from SupportKey k where k.revokedAt is not null")
    List<String> findRevokedFingerprints();
}
