NC.data("search/terms/70-75",{"purpose":[86,107,273,274],"pushing":[188,275],"put":[34,222]});
