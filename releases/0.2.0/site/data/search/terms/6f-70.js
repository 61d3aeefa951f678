NC.data("search/terms/6f-70",{"operation":[117,241,256,260,273,276],"operational":[273],"operations":[34,83,119,144,146,152,199,276],"oppression":[210,275]});
