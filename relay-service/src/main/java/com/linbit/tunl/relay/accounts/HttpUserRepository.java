package com.linbit.tunl.relay.accounts;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

interface HttpUserRepository extends JpaRepository<HttpUser, Long> {

    Optional<HttpUser> findByUsername(String username);

    boolean existsByUsername(String username);

    boolean existsByRole(HttpRole role);

    List<HttpUser> findAllByOrderByUsernameAsc();
}
